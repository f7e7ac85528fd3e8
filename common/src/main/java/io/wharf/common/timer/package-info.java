/** Delayed work on a {@link io.wharf.common.Clock}'s time, so tests and simulations drive timeouts themselves. */
package io.wharf.common.timer;
