package io.wharf.metadata;

import io.wharf.metadata.image.MetadataImage;

/**
 * Told of every new metadata image, in order, on the controller's thread. Must return quickly and not call back into
 * the controller synchronously.
 */
@FunctionalInterface
public interface MetadataListener {
    void onImage(MetadataImage previous, MetadataImage current);
}
