package io.lifecycle.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Captures what the library logs through {@link System.Logger} (backed by java.util.logging) on the
 * logger {@code io.lifecycle}, from {@link #start()} until {@link #close()}.
 */
final class LogCapture implements AutoCloseable {
  /** Held so that java.util.logging keeps the logger (and its handlers) alive. */
  private static final Logger LOGGER = Logger.getLogger("io.lifecycle");

  private static final SimpleFormatter FORMATTER = new SimpleFormatter();

  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          records.add(record);
          synchronized (LogCapture.this) {
            LogCapture.this.notifyAll();
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private LogCapture() {}

  static LogCapture start() {
    LogCapture c = new LogCapture();
    c.handler.setLevel(Level.ALL);
    LOGGER.addHandler(c.handler);
    return c;
  }

  /** Returns the formatted messages logged at {@code level} or above that contain {@code text}. */
  List<String> messages(Level level, String text) {
    return records.stream()
        .filter(r -> r.getLevel().intValue() >= level.intValue())
        .map(LogCapture::format)
        .filter(m -> m.contains(text))
        .toList();
  }

  /** Returns the records logged at {@code level} or above whose message contains {@code text}. */
  List<LogRecord> records(Level level, String text) {
    return records.stream()
        .filter(r -> r.getLevel().intValue() >= level.intValue())
        .filter(r -> format(r).contains(text))
        .toList();
  }

  /**
   * Waits until a record at {@code level} or above containing {@code text} is logged (by any
   * thread), woken by the handler; returns its formatted message.
   */
  synchronized String await(Level level, String text, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<String> found = messages(level, text);
      if (!found.isEmpty()) {
        return found.get(0);
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("nothing logged containing \"" + text + "\" within " + timeout);
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  static String format(LogRecord r) {
    return FORMATTER.formatMessage(r);
  }

  @Override
  public void close() {
    LOGGER.removeHandler(handler);
  }
}
