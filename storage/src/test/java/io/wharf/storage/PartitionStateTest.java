package io.wharf.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code partition.state} byte for byte, and the version before it still read. */
class PartitionStateTest {

    @TempDir
    Path dir;

    @Test
    void versionTwoIsLaidOutAsDrawn() throws Exception {
        new PartitionState(1200, 52341, true, 7215119958337162817L).write(dir);

        assertThat(Files.readString(dir.resolve(PartitionState.FILE_NAME)))
                .isEqualTo("version 2\nlog-start-offset 1200\nrecovery-point 52341\nclean-shutdown true\n"
                        + "log-id 7215119958337162817\n");
        assertThat(PartitionState.read(dir)).contains(new PartitionState(1200, 52341, true, 7215119958337162817L));
    }

    @Test
    void versionOneIsReadWithoutALogId() throws Exception {
        Files.writeString(
                dir.resolve(PartitionState.FILE_NAME),
                "version 1\nlog-start-offset 5\nrecovery-point 9\nclean-shutdown false\n",
                StandardCharsets.UTF_8);

        assertThat(PartitionState.read(dir)).contains(new PartitionState(5, 9, false, 0));
    }

    @Test
    void aLogKeepsItsIdAcrossOpensAndALogWithoutOneGetsOne() throws Exception {
        Files.writeString(
                dir.resolve(PartitionState.FILE_NAME),
                "version 1\nlog-start-offset 0\nrecovery-point 0\nclean-shutdown true\n",
                StandardCharsets.UTF_8);
        long id;
        try (LogFixture fixture = new LogFixture()) {
            PartitionLog log = fixture.open(dir, LogConfig.defaults());
            id = log.logId();
            assertThat(id).isNotZero();
            log.close();
            assertThat(fixture.open(dir, LogConfig.defaults()).logId()).isEqualTo(id);
        }
    }
}
