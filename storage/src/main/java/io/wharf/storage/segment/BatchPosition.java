package io.wharf.storage.segment;

/**
 * Where one batch lies in a segment file.
 *
 * @param position the file position of its first byte
 * @param sizeInBytes its size, header included
 * @param baseOffset its first offset
 * @param lastOffset its last offset
 */
public record BatchPosition(int position, int sizeInBytes, long baseOffset, long lastOffset) {}
