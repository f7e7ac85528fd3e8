package io.wharf.amqp.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The on-disk layout of the AMQP state records, pinned byte for byte. */
class StateRecordCodecTest {

    private static String hex(StateRecord record) {
        return HexFormat.of().formatHex(StateRecordCodec.encode(record));
    }

    @Test
    void exchangeDeclared() {
        StateRecord record = new StateRecord.ExchangeDeclared("ex", 3, true, true, Map.of("a", "b"));
        // version 0, type 1, "ex", topic (3), flags 3, a table of 8 bytes: name "a", type 'S', length 1, "b"
        assertThat(hex(record))
                .isEqualTo("0001" + "00026578" + "03" + "03" + "00000008" + "0161" + "53" + "00000001" + "62");
        StateRecord.ExchangeDeclared read =
                (StateRecord.ExchangeDeclared) StateRecordCodec.decode(StateRecordCodec.encode(record));
        assertThat(read.name()).isEqualTo("ex");
        assertThat(read.arguments().get("a").toString()).isEqualTo("b");
        assertThat(read.autoDelete() && read.internal()).isTrue();
    }

    @Test
    void queueDeclaredBindingAndSettled() {
        assertThat(hex(new StateRecord.QueueDeclared("q", false, Map.of(), "amqp.q", 7)))
                .isEqualTo("0003" + "000171" + "00" + "00000000" + "0006616d71702e71" + "0000000000000007");
        assertThat(hex(new StateRecord.QueueDeleted("q"))).isEqualTo("0004" + "000171");
        assertThat(hex(new StateRecord.ExchangeDeleted("ex"))).isEqualTo("0002" + "00026578");
        assertThat(hex(new StateRecord.BindingChanged(true, "e", "q", true, "k", Map.of())))
                .isEqualTo("0005" + "000165" + "000171" + "01" + "00016b" + "00000000");
        assertThat(hex(new StateRecord.BindingChanged(false, "e", "f", false, "", Map.of())))
                .isEqualTo("0006" + "000165" + "000166" + "00" + "0000" + "00000000");
        assertThat(hex(new StateRecord.Settled("q", 258))).isEqualTo("0007" + "000171" + "0000000000000102");
    }

    @Test
    void everyRecordReadsBackAsWritten() {
        for (StateRecord record : new StateRecord[] {
            new StateRecord.QueueDeclared("orders", true, Map.of(), "amqp.orders", 0),
            new StateRecord.QueueDeleted("orders"),
            new StateRecord.ExchangeDeleted("x"),
            new StateRecord.BindingChanged(true, "x", "orders", true, "eu.#", Map.of()),
            new StateRecord.Settled("orders", 42)
        }) {
            assertThat(StateRecordCodec.decode(StateRecordCodec.encode(record))).isEqualTo(record);
        }
    }

    @Test
    void unknownVersionsTypesAndShortRecordsAreRefused() {
        assertThatThrownBy(() -> StateRecordCodec.decode(new byte[] {1, 1}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StateRecordCodec.decode(new byte[] {0, 99}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StateRecordCodec.decode(new byte[] {0, 7, 0, 1}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
