package io.wharf.cli.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutputTest {

    @Test
    void alignsColumnsWithoutTrailingBlanks() {
        StringWriter text = new StringWriter();
        new Table("A", "LONGER", "C")
                .row("wide-cell", 1, null)
                .row("x", 22, "end")
                .print(new PrintWriter(text));

        assertThat(text.toString())
                .isEqualTo("A          LONGER  C\n" + "wide-cell  1       -\n" + "x          22      end\n");
    }

    @Test
    void refusesARowOfTheWrongWidth() {
        assertThatThrownBy(() -> new Table("A", "B").row("only one")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesJsonWithEscapesAndInOrder() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("z", "quote \" backslash \\ newline \n tab \t bell \u0007");
        map.put("a", List.of(1, 2.5, true));
        map.put("n", null);
        map.put("nested", Map.of("k", List.of()));

        assertThat(Json.write(map))
                .isEqualTo("{\"z\":\"quote \\\" backslash \\\\ newline \\n tab \\t bell \\u0007\","
                        + "\"a\":[1,2.5,true],\"n\":null,\"nested\":{\"k\":[]}}");
        assertThat(Json.write(Arrays.asList("x", null))).isEqualTo("[\"x\",null]");
    }
}
