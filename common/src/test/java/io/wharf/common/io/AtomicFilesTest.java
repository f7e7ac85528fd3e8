package io.wharf.common.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void replacesTheContentAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("state");
        AtomicFiles.write(target, "first".getBytes(UTF_8));
        AtomicFiles.write(target, "second".getBytes(UTF_8));

        assertThat(Files.readString(target)).isEqualTo("second");
        assertThat(Files.exists(dir.resolve("state" + AtomicFiles.TEMP_SUFFIX))).isFalse();
    }

    @Test
    void aLeftoverTemporaryFileFromACrashDoesNotDisturbTheNextWrite() throws IOException {
        Path target = dir.resolve("state");
        Files.writeString(dir.resolve("state" + AtomicFiles.TEMP_SUFFIX), "half-written garbage that is long");

        AtomicFiles.write(target, "ok".getBytes(UTF_8));

        assertThat(Files.readString(target)).isEqualTo("ok");
    }
}
