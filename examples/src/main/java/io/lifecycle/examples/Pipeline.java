package io.lifecycle.examples;

import java.nio.ByteBuffer;
import java.time.Duration;

/** The agent's work during a call, the same in both workers: it listens and it polls stats. */
final class Pipeline {
  private Pipeline() {}

  /** How often the stats poller samples a stream. */
  static final Duration STATS_INTERVAL = Duration.ofMillis(50);

  /**
   * Listens to the caller: takes in each frame until the track ends or the stream is closed.
   *
   * @throws InterruptedException if the thread is interrupted while waiting for a frame
   */
  static void listen(AudioStream stream, ParticipantState state) throws InterruptedException {
    for (ByteBuffer frame = stream.read(); frame != null; frame = stream.read()) {
      state.heard(frame);
    }
  }

  /**
   * Polls the stream's stats for as long as the stream is open.
   *
   * @throws InterruptedException if the thread is interrupted while waiting for the next poll
   */
  static void pollStats(AudioStream stream, ParticipantState state) throws InterruptedException {
    while (stream.isOpen()) {
      state.stats(stream.stats());
      Thread.sleep(STATS_INTERVAL);
    }
  }
}
