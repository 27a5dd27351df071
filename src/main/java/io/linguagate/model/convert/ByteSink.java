package io.linguagate.model.convert;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Buffered little-endian writing to a file channel, counting bytes. Large buffers (mapped checkpoint data) go to
 * the channel directly, without passing through the heap.
 */
final class ByteSink implements AutoCloseable {

    private static final int BUFFER = 1 << 20;

    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
    private long written;

    ByteSink(FileChannel channel) {
        this.channel = channel;
    }

    /** Bytes written so far (buffered ones included). */
    long position() {
        return written;
    }

    void write(byte[] bytes) throws IOException {
        write(ByteBuffer.wrap(bytes));
    }

    /** Writes the remaining bytes of {@code src} (consuming them). */
    void write(ByteBuffer src) throws IOException {
        if (src.remaining() <= buffer.remaining()) {
            written += src.remaining();
            buffer.put(src);
            return;
        }
        flush();
        if (src.remaining() < BUFFER) {
            written += src.remaining();
            buffer.put(src);
            return;
        }
        written += src.remaining();
        while (src.hasRemaining()) {
            channel.write(src);
        }
    }

    void writeByte(int b) throws IOException {
        ensure(1);
        buffer.put((byte) b);
        written++;
    }

    /** Protobuf base-128 varint. */
    void writeVarint(long value) throws IOException {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        writeByte((int) v);
    }

    void writeZeros(long count) throws IOException {
        for (long i = 0; i < count; i++) {
            writeByte(0);
        }
    }

    /** {@code values[from, from + length)} as float32 or (when {@code half}) IEEE float16, little-endian. */
    void writeFloats(float[] values, int from, int length, boolean half) throws IOException {
        int size = half ? 2 : 4;
        int i = from;
        int end = from + length;
        while (i < end) {
            ensure(size);
            int n = Math.min(end - i, buffer.remaining() / size);
            if (half) {
                for (int k = 0; k < n; k++) {
                    buffer.putShort(Float.floatToFloat16(values[i + k]));
                }
            } else {
                buffer.asFloatBuffer().put(values, i, n);
                buffer.position(buffer.position() + n * 4);
            }
            i += n;
            written += (long) n * size;
        }
    }

    void writeLongs(long[] values) throws IOException {
        for (long v : values) {
            ensure(8);
            buffer.putLong(v);
            written += 8;
        }
    }

    private void ensure(int bytes) throws IOException {
        if (buffer.remaining() < bytes) {
            flush();
        }
    }

    void flush() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    @Override
    public void close() throws IOException {
        flush();
    }
}
