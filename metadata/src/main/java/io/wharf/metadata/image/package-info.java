/**
 * The metadata image: an immutable view of everything the metadata log says, rebuilt by applying records in order.
 * Readers on any thread take the current image and keep it for as long as they need a consistent view.
 */
package io.wharf.metadata.image;
