package io.lifecycle.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The minimal JSON reader behind the thread dump. */
class JsonTest {

  @Test
  void parse_values() {
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("s", "x");
    expected.put("n", -12.5e1);
    expected.put("t", true);
    expected.put("f", false);
    expected.put("z", null);
    expected.put("a", Arrays.asList(1.0, List.of(), Map.of()));
    assertEquals(
        expected,
        Json.parse(
            " {\"s\":\"x\", \"n\": -12.5e1,\"t\":true,\"f\" :false,\"z\":null,"
                + "\"a\":[1,[],{}]}\n"));
    assertNull(Json.parse("null"));
    assertEquals(0.0, Json.parse("0"));
  }

  @Test
  void parse_keepsMemberOrder() {
    Object parsed = Json.parse("{\"b\":1,\"a\":2,\"c\":3}");
    assertEquals(List.of("b", "a", "c"), List.copyOf(((Map<?, ?>) parsed).keySet()));
  }

  @Test
  void parse_escapes() {
    assertEquals(
        "java.base/java.lang.Thread \"q\" \\ \b\f\n\r\t é ☃",
        Json.parse(
            "\"java.base\\/java.lang.Thread \\\"q\\\" \\\\ \\b\\f\\n\\r\\t \\u00e9 \\u2603\""));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "{",
        "{\"a\"}",
        "{\"a\":1,}",
        "[1,]",
        "[1 2]",
        "\"open",
        "\"bad \\x escape\"",
        "\"short \\u12\"",
        "\"tab\tinside\"",
        "01",
        "1.",
        "-",
        "1e",
        "tru",
        "nul",
        "{} {}",
        "{a:1}"
      })
  void parse_rejectsMalformedDocuments(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(text));
    assertTrue(e.getMessage().startsWith("malformed JSON at offset "), e.getMessage());
  }

  @Test
  void parse_boundsNesting() {
    String deep = "[".repeat(Json.MAX_DEPTH + 2) + "]".repeat(Json.MAX_DEPTH + 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(deep));
    assertEquals(
        "malformed JSON at offset " + (Json.MAX_DEPTH + 1) + ": nested deeper than " + Json.MAX_DEPTH,
        e.getMessage());
    String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
    assertInstanceOf(List.class, Json.parse(ok));
  }
}
