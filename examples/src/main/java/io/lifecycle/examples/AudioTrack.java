package io.lifecycle.examples;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A published audio track: 48 kHz mono 16-bit PCM, rendered on demand, frame by frame, as a tone
 * whose pitch depends on the participant. A track ends when its participant leaves or when it has
 * played all its frames. Thread-safe.
 */
final class AudioTrack {
  private static final int SAMPLE_RATE = 48_000;

  private final String participant;
  private final String name;
  private final int frames;
  private final double pitch;
  private final Runnable onEnd;
  private volatile boolean ended;

  AudioTrack(String participant, String name, int frames, Runnable onEnd) {
    this.participant = participant;
    this.name = name;
    this.frames = frames;
    this.pitch = 110 + Math.floorMod(participant.hashCode(), 330);
    this.onEnd = onEnd;
  }

  /** Returns the identity of the participant who published the track. */
  String participant() {
    return participant;
  }

  /** Returns whether the track has ended: no frame will follow. */
  boolean ended() {
    return ended;
  }

  void end() {
    ended = true;
  }

  /**
   * Renders frame {@code sequence} into {@code frame} (its remaining bytes, an even number), and
   * ends the track, running its end action, when that was the last frame.
   *
   * @return false, rendering nothing, if the track has ended
   */
  boolean render(long sequence, ByteBuffer frame) {
    if (ended || sequence >= frames) {
      return false;
    }
    ByteBuffer pcm = frame.slice().order(ByteOrder.LITTLE_ENDIAN);
    int samples = pcm.remaining() / 2;
    long first = sequence * samples;
    for (int i = 0; i < samples; i++) {
      double t = (double) (first + i) / SAMPLE_RATE;
      pcm.putShort((short) (8_000 * Math.sin(2 * Math.PI * pitch * t)));
    }
    if (sequence == frames - 1) {
      ended = true;
      onEnd.run();
    }
    return true;
  }

  @Override
  public String toString() {
    return "AudioTrack[" + participant + "/" + name + "]";
  }
}
