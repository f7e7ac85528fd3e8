package io.wharf.storage.cleaner;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class OffsetMapTest {

    private static ByteBuffer key(String text) {
        return ByteBuffer.wrap(text.getBytes(UTF_8));
    }

    @Test
    void keepsTheLatestOffsetOfEachKey() {
        OffsetMap map = new OffsetMap(24 * 100);
        map.put(key("a"), 1);
        map.put(key("b"), 2);
        map.put(key("a"), 7);

        assertThat(map.get(key("a"))).isEqualTo(7);
        assertThat(map.get(key("b"))).isEqualTo(2);
        assertThat(map.get(key("c"))).isEqualTo(-1);
        assertThat(map.size()).isEqualTo(2);
        assertThat(map.latestOffset()).isEqualTo(7);
    }

    @Test
    void refusesNewKeysPastItsLoadFactorButStillUpdatesKnownOnes() {
        OffsetMap map = new OffsetMap(24 * 10);
        int accepted = 0;
        for (int i = 0; i < 20; i++) {
            if (map.put(key("k" + i), i)) {
                accepted++;
            }
        }

        assertThat(accepted).isEqualTo(9).isEqualTo(map.maxEntries());
        assertThat(map.isFull()).isTrue();
        assertThat(map.put(key("k0"), 100)).isTrue();
        assertThat(map.get(key("k0"))).isEqualTo(100);
        map.clear();
        assertThat(map.size()).isZero();
        assertThat(map.get(key("k0"))).isEqualTo(-1);
    }

    @Test
    void hashesOnlyTheBytesBetweenPositionAndLimit() {
        ByteBuffer framed =
                ByteBuffer.wrap("xxkeyyy".getBytes(UTF_8)).position(2).limit(5);

        assertThat(OffsetMap.hash(framed, 1)).isEqualTo(OffsetMap.hash(key("key"), 1));
        assertThat(framed.position()).isEqualTo(2);
        assertThat(OffsetMap.hash(key("key"), 1)).isNotEqualTo(OffsetMap.hash(key("kez"), 1));
        assertThat(OffsetMap.hash(key("key"), 1)).isNotEqualTo(OffsetMap.hash(key("key"), 2));
        assertThat(OffsetMap.hash(key("12345678a"), 1)).isNotEqualTo(OffsetMap.hash(key("12345678b"), 1));
    }

    @Test
    void holdsManyKeysWithoutConfusingThem() {
        OffsetMap map = new OffsetMap(24 * 200_000);
        for (int i = 0; i < 150_000; i++) {
            assertThat(map.put(key("key-" + i), i)).isTrue();
        }
        for (int i = 0; i < 150_000; i++) {
            assertThat(map.get(key("key-" + i))).isEqualTo(i);
        }
        assertThat(map.probesPerLookup()).isLessThan(10);
    }
}
