package io.lifecycle.examples;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The callers of the simulation: each dials in, joins the room, publishes their microphone, speaks
 * for 150 to 250 ms and hangs up. Hang-ups run on the switchboard's own daemon thread. Thread-safe.
 */
final class Switchboard implements AutoCloseable {
  private final Room room;
  private final ExecutorService hangups =
      Executors.newSingleThreadExecutor(
          Thread.ofPlatform().name("switchboard").daemon(true).factory());

  Switchboard(Room room) {
    this.room = room;
  }

  /** Connects the caller of call {@code id} and publishes their audio; returns the call. */
  Call dial(int id) {
    String caller = "caller-" + id;
    Participant p = room.connect(caller);
    int frames = 15 + id % 11;
    p.publishAudio("mic", frames, () -> hangups.execute(p::close));
    return new Call(id, caller, frames);
  }

  @Override
  public void close() {
    hangups.shutdown();
    try {
      if (!hangups.awaitTermination(5, TimeUnit.SECONDS)) {
        hangups.shutdownNow();
      }
    } catch (InterruptedException e) {
      hangups.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
