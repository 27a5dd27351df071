package io.linguagate.model.hub;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Durable file steps: fsync of files and directories, atomic rename. */
final class FileOps {

    private FileOps() {
    }

    static void forceFile(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /**
     * Renames {@code from} onto {@code to} atomically (replacing it), then fsyncs the directory so the rename itself
     * survives a crash. Fails rather than copying when the file system cannot rename atomically.
     */
    static void atomicMove(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system cannot rename " + from.getFileName() + " atomically", e);
        }
        forceDirectory(to.getParent());
    }

    /** fsync of a directory; a no-op where the platform cannot open directories (Windows). */
    static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Best effort: the file data itself has been forced already.
        }
    }

    static void deleteQuietly(Path... files) {
        for (Path file : files) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // Left behind; never trusted without a manifest, and overwritten by the next fetch.
            }
        }
    }
}
