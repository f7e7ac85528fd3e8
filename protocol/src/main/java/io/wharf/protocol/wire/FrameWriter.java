package io.wharf.protocol.wire;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Writable;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * Writes a generated message into one buffer, except record fields that are file regions: those end the current
 * byte part and become a part of their own, so they can be sent without copying.
 */
final class FrameWriter implements Writable {

    private final ByteBuffer buffer;
    private final ByteBufferAccessor accessor;
    private final List<FramePart> parts = new ArrayList<>();
    private int partStart;

    FrameWriter(ByteBuffer buffer) {
        this.buffer = buffer;
        this.accessor = new ByteBufferAccessor(buffer);
        this.partStart = buffer.position();
    }

    @Override
    public void writeRecords(BaseRecords records) {
        if (records instanceof FileSliceRecords file) {
            cutBytes();
            if (file.sizeInBytes() > 0) {
                parts.add(new FramePart.FileRegion(file.channel(), file.position(), file.sizeInBytes()));
            }
        } else if (records instanceof FileRegionsRecords files) {
            cutBytes();
            files.regions().stream().filter(r -> r.length() > 0).forEach(parts::add);
        } else if (records instanceof MemoryRecords memory) {
            accessor.writeByteBuffer(memory.buffer());
        } else if (records != null) {
            throw new IllegalArgumentException("cannot write records of type " + records.getClass());
        }
    }

    private void cutBytes() {
        if (buffer.position() > partStart) {
            ByteBuffer slice = buffer.duplicate();
            slice.position(partStart).limit(buffer.position());
            parts.add(new FramePart.Bytes(slice.slice()));
            partStart = buffer.position();
        }
    }

    /** The parts written so far, in order. */
    List<FramePart> finish() {
        cutBytes();
        return parts;
    }

    @Override
    public void writeByte(byte val) {
        accessor.writeByte(val);
    }

    @Override
    public void writeShort(short val) {
        accessor.writeShort(val);
    }

    @Override
    public void writeInt(int val) {
        accessor.writeInt(val);
    }

    @Override
    public void writeLong(long val) {
        accessor.writeLong(val);
    }

    @Override
    public void writeDouble(double val) {
        accessor.writeDouble(val);
    }

    @Override
    public void writeByteArray(byte[] arr) {
        accessor.writeByteArray(arr);
    }

    @Override
    public void writeUnsignedVarint(int i) {
        accessor.writeUnsignedVarint(i);
    }

    @Override
    public void writeByteBuffer(ByteBuffer buf) {
        accessor.writeByteBuffer(buf);
    }

    @Override
    public void writeVarint(int i) {
        accessor.writeVarint(i);
    }

    @Override
    public void writeVarlong(long i) {
        accessor.writeVarlong(i);
    }

    @Override
    public void writeUuid(Uuid uuid) {
        accessor.writeUuid(uuid);
    }
}
