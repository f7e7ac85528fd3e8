package io.wharf.protocol.wire;

import java.util.List;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.RecordsSend;

/**
 * Records that live in several regions of segment files, sent one after the other as one records field: whole
 * batches from different places of a log (a share fetch hands out records that need not be next to each other).
 * Only Wharf's {@link FrameWriter} writes them.
 */
final class FileRegionsRecords implements BaseRecords {

    private final List<FramePart.FileRegion> regions;
    private final int length;

    FileRegionsRecords(List<FramePart.FileRegion> regions) {
        this.regions = List.copyOf(regions);
        this.length = regions.stream().mapToInt(FramePart.FileRegion::length).sum();
    }

    List<FramePart.FileRegion> regions() {
        return regions;
    }

    @Override
    public int sizeInBytes() {
        return length;
    }

    @Override
    public RecordsSend<? extends BaseRecords> toSend() {
        throw new UnsupportedOperationException("file regions are sent by Wharf's network layer");
    }
}
