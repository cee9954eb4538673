package io.lifecycle.junit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The records logged to {@code "io.lifecycle.junit"} (through {@link System.Logger}, which the
 * JDK backs with java.util.logging) while it is open.
 */
final class CapturedLog implements AutoCloseable {
  private final Logger logger = Logger.getLogger("io.lifecycle.junit");
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  CapturedLog() {
    handler.setLevel(Level.ALL);
    logger.addHandler(handler);
  }

  /** Returns the records so far, at {@code level}, with their parameters filled in. */
  List<String> messages(Level level) {
    java.util.logging.Formatter formatter =
        new java.util.logging.Formatter() {
          @Override
          public String format(LogRecord record) {
            return formatMessage(record);
          }
        };
    return records.stream()
        .filter(r -> r.getLevel().equals(level))
        .map(formatter::formatMessage)
        .toList();
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
  }
}
