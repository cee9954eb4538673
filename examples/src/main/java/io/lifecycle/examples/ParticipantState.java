package io.lifecycle.examples;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.nio.ByteBuffer;

/**
 * What the agent keeps about a caller, in its participant cache: the conversation context it sends
 * to the language model (32 KiB), how much it has heard, and the stream's latest stats.
 * Thread-safe.
 */
final class ParticipantState {
  /** The size of the conversation context. */
  static final int CONTEXT_BYTES = 32 * 1024;

  private final String identity;

  @GuardedBy("this")
  private final byte[] context = new byte[CONTEXT_BYTES];

  @GuardedBy("this")
  private long framesHeard;

  @GuardedBy("this")
  private AudioStream.Stats stats = new AudioStream.Stats(0, 0);

  ParticipantState(String identity) {
    this.identity = identity;
  }

  /** Takes in one frame of the caller's speech. */
  synchronized void heard(ByteBuffer frame) {
    int peak = 0;
    for (int i = 0; i + 1 < frame.remaining(); i += 2) {
      peak = Math.max(peak, Math.abs(frame.getShort(frame.position() + i)));
    }
    context[(int) (framesHeard % CONTEXT_BYTES)] = (byte) (peak >> 8);
    framesHeard++;
  }

  /** Records the stream's latest stats. */
  synchronized void stats(AudioStream.Stats latest) {
    stats = latest;
  }

  @Override
  public synchronized String toString() {
    return "ParticipantState[" + identity + ", heard " + framesHeard + " frames, " + stats + "]";
  }
}
