package io.lifecycle.core;

import static io.lifecycle.core.Internals.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/** Reports are also JFR events (issue 2 req 6, issue 3 req 4); the leak event is in LeakGcTest. */
class EventsTest {

  /** A stuck report is recorded as io.lifecycle.Stuck with kind, what, path, thread and stack. */
  @Test
  void reportStuck_recordedAsJfrEvent() throws Exception {
    String path = unique("jfr");
    List<RecordedEvent> events =
        record(
            "io.lifecycle.Stuck",
            () ->
                Lifecycle.reportStuck(
                    StuckReport.of(
                        StuckReport.Kind.OPERATION,
                        "flush",
                        path,
                        Duration.ofMillis(1500),
                        Thread.currentThread())));
    List<RecordedEvent> mine =
        events.stream().filter(e -> path.equals(e.getString("path"))).toList();
    assertEquals(1, mine.size(), events::toString);
    RecordedEvent e = mine.get(0);
    assertEquals("OPERATION", e.getString("kind"));
    assertEquals("flush", e.getString("what"));
    assertEquals(Duration.ofMillis(1500), e.getDuration("stuckFor"));
    assertEquals(Thread.currentThread().getName(), e.getString("thread"));
    assertTrue(
        e.getString("stack").contains("reportStuck_recordedAsJfrEvent"), e.getString("stack"));
  }

  /** Runs {@code action} under a recording of {@code event}; returns what was recorded. */
  static List<RecordedEvent> record(String event, Runnable action) throws Exception {
    Path file = Files.createTempFile("lifecycle-events", ".jfr");
    try (Recording recording = new Recording()) {
      recording.enable(event);
      recording.start();
      action.run();
      recording.stop();
      recording.dump(file);
      return RecordingFile.readAllEvents(file).stream()
          .filter(e -> e.getEventType().getName().equals(event))
          .toList();
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
