/**
 * Crash-safe file operations: every file that must survive a power loss intact is written through
 * {@link io.wharf.common.io.AtomicFiles}.
 */
package io.wharf.common.io;
