/** How the broker logs when nothing else configures Logback. */
package io.wharf.server.logging;
