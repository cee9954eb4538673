package io.lifecycle.examples;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The audio of a subscribed track as it arrives: 10 ms frames, paced in real time, kept in a 256
 * KiB ring of native (direct) memory, the size of a real SDK's jitter and decode buffers.
 *
 * <p>Close it when done: closing drops the native buffer and ends {@link #read()}. A stream that is
 * never closed keeps its buffer for as long as anything references the stream.
 *
 * <p>Thread-safe: one thread reads frames while others ask for {@link #stats()}.
 */
final class AudioStream implements AutoCloseable {
  /** The size of the native ring buffer. */
  static final int BUFFER_BYTES = 256 * 1024;

  /** The duration of one frame. */
  static final Duration FRAME = Duration.ofMillis(10);

  /** The size of one frame: 10 ms of 48 kHz mono 16-bit PCM. */
  static final int FRAME_BYTES = 960;

  private static final int RING_FRAMES = BUFFER_BYTES / FRAME_BYTES;

  /** What a stats poller sees. */
  record Stats(long frames, long bytes) {}

  private final AudioTrack track;
  private final Object lock = new Object();
  private final long startNanos = System.nanoTime();

  @GuardedBy("lock")
  private ByteBuffer ring = ByteBuffer.allocateDirect(BUFFER_BYTES);

  @GuardedBy("lock")
  private long frames;

  /** Opens a stream on a track: allocates its native buffer. */
  AudioStream(AudioTrack track) {
    this.track = track;
  }

  /**
   * Waits for the next frame and returns it: a read-only view of the ring, valid until the ring
   * wraps around. Frames arrive every 10 ms.
   *
   * @return the frame, or null once the track has ended or the stream is closed
   * @throws InterruptedException if the calling thread is interrupted while waiting
   */
  ByteBuffer read() throws InterruptedException {
    long sequence;
    synchronized (lock) {
      sequence = frames;
    }
    long due = startNanos + sequence * FRAME.toNanos();
    TimeUnit.NANOSECONDS.sleep(due - System.nanoTime());
    synchronized (lock) {
      if (ring == null) {
        return null;
      }
      int offset = (int) (sequence % RING_FRAMES) * FRAME_BYTES;
      ByteBuffer frame = ring.slice(offset, FRAME_BYTES);
      if (!track.render(sequence, frame)) {
        return null;
      }
      frames = sequence + 1;
      return frame.asReadOnlyBuffer();
    }
  }

  /** Returns how much audio the stream has received so far. */
  Stats stats() {
    synchronized (lock) {
      return new Stats(frames, frames * FRAME_BYTES);
    }
  }

  /** Returns whether the stream is open. */
  boolean isOpen() {
    synchronized (lock) {
      return ring != null;
    }
  }

  /** Closes the stream: drops its native buffer and ends {@link #read()}. Idempotent. */
  @Override
  public void close() {
    synchronized (lock) {
      ring = null;
    }
  }

  @Override
  public String toString() {
    return "AudioStream[" + track + "]";
  }
}
