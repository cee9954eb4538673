package io.lifecycle.examples;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A participant's connection to a {@link Room}. Closing it disconnects the participant: its tracks
 * end and the room's listeners hear that it left. Thread-safe; {@link #close()} is idempotent.
 */
final class Participant implements AutoCloseable {
  private final Room room;
  private final String identity;
  private final List<AudioTrack> tracks = new CopyOnWriteArrayList<>();

  Participant(Room room, String identity) {
    this.room = room;
    this.identity = identity;
  }

  /** Returns the participant's identity in the room. */
  String identity() {
    return identity;
  }

  /**
   * Creates an audio track and publishes it in the room, where others can subscribe to it.
   *
   * @param name the track's name, such as {@code "mic"}
   * @param frames how many frames the track plays before it ends
   * @param onEnd run once, by the reader of the last frame, when the track has played them all
   * @return the published track
   */
  @CanIgnoreReturnValue
  AudioTrack publishAudio(String name, int frames, Runnable onEnd) {
    AudioTrack track = new AudioTrack(identity, name, frames, onEnd);
    tracks.add(track);
    room.published(this, track);
    return track;
  }

  /**
   * Creates an audio track that plays until the participant leaves, and publishes it.
   *
   * @param name the track's name, such as {@code "voice"}
   * @return the published track
   */
  @CanIgnoreReturnValue
  AudioTrack publishAudio(String name) {
    return publishAudio(name, Integer.MAX_VALUE, () -> {});
  }

  /** Disconnects: ends the participant's tracks and tells the room's listeners it left. */
  @Override
  public void close() {
    if (room.disconnect(this)) {
      for (AudioTrack t : tracks) {
        t.end();
      }
      room.left(identity);
    }
  }

  @Override
  public String toString() {
    return "Participant[" + identity + "]";
  }
}
