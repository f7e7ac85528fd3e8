/**
 * Files and bytes: every file that must survive a power loss intact is written through
 * {@link io.wharf.common.io.AtomicFiles}; Wharf's own records (metadata, groups, offsets, share-partition state) are
 * written in the vocabulary of {@link io.wharf.common.io.Bytes}; {@link io.wharf.common.io.BuildProperties} reads the
 * version a build stamped into a jar.
 */
package io.wharf.common.io;
