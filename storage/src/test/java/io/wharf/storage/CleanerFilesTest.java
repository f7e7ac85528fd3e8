package io.wharf.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cleaner's two small files, byte for byte. */
class CleanerFilesTest {

    @TempDir
    Path dir;

    @Test
    void theSwapManifestIsPinned() throws Exception {
        CleanerSwap.writeManifest(dir, new CleanerSwap.Plan(List.of(0L, 120L, 250L), List.of(0L)));

        assertThat(Files.readString(dir.resolve("cleaner-swap"), UTF_8)).isEqualTo("version 1\nold 0 120 250\nnew 0\n");
        assertThat(CleanerSwap.Plan.decode("version 1\nold 0 120 250\nnew 0\n"))
                .isEqualTo(new CleanerSwap.Plan(List.of(0L, 120L, 250L), List.of(0L)));
        CleanerSwap.deleteManifest(dir);
        assertThat(dir.resolve("cleaner-swap")).doesNotExist();
    }

    @Test
    void theCleanerCheckpointIsPinned() throws Exception {
        assertThat(CleanerCheckpoint.read(dir)).isEqualTo(-1);

        CleanerCheckpoint.write(dir, 4242);

        assertThat(Files.readString(dir.resolve("cleaner-checkpoint"), UTF_8)).isEqualTo("0\n4242\n");
        assertThat(CleanerCheckpoint.read(dir)).isEqualTo(4242);
        Files.writeString(dir.resolve("cleaner-checkpoint"), "garbage");
        assertThat(CleanerCheckpoint.read(dir))
                .as("a lost checkpoint only makes the log dirty")
                .isEqualTo(-1);
    }
}
