package io.lifecycle.core;

import java.util.ArrayList;
import java.util.List;

/** A thread-safe, ordered record of what happened in a test. */
final class EventLog {
  private final List<String> events = new ArrayList<>();

  synchronized void add(String event) {
    events.add(event);
  }

  synchronized List<String> events() {
    return List.copyOf(events);
  }

  synchronized int indexOf(String event) {
    return events.indexOf(event);
  }

  @Override
  public synchronized String toString() {
    return events.toString();
  }
}
