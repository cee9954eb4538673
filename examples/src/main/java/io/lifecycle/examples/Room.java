package io.lifecycle.examples;

import io.lifecycle.core.Listeners;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A room of a real-time media server, as its SDK presents it to an agent: participants connect,
 * publish audio tracks, subscribe to each other's and leave. The room lives as long as the server;
 * every call passes through it.
 *
 * <p>Listeners come in two shapes. {@link #addListener}/{@link #removeListener} is the pair such
 * SDKs offer: the room keeps a listener, and everything it captures, until someone removes it.
 * {@link #listeners()} is a lifecycle {@link Listeners} registry, where each listener has an owner
 * scope and is removed when that scope closes. The room fires both.
 *
 * <p>Thread-safe. Listeners are called on the thread that disconnects a participant.
 */
final class Room {
  private final String name;
  private final Map<String, Participant> participants = new ConcurrentHashMap<>();
  private final Map<String, AudioTrack> audio = new ConcurrentHashMap<>();
  private final List<RoomListener> listeners = new CopyOnWriteArrayList<>();
  private final Listeners<RoomListener> ownedListeners = Listeners.create("room-events");

  Room(String name) {
    this.name = name;
  }

  /**
   * Connects a participant.
   *
   * @throws IllegalStateException if a participant with that identity is connected
   */
  Participant connect(String identity) {
    Participant p = new Participant(this, identity);
    if (participants.putIfAbsent(identity, p) != null) {
      throw new IllegalStateException(identity + " is already in room " + name);
    }
    return p;
  }

  /**
   * Subscribes to the audio track that {@code identity} published.
   *
   * @throws IllegalStateException if that participant has published no audio track
   */
  AudioTrack subscribe(String identity) {
    AudioTrack track = audio.get(identity);
    if (track == null) {
      throw new IllegalStateException(identity + " has no audio track in room " + name);
    }
    return track;
  }

  /** Adds a listener, kept until {@link #removeListener} removes it. */
  void addListener(RoomListener listener) {
    listeners.add(listener);
  }

  /** Removes a listener added with {@link #addListener}. */
  void removeListener(RoomListener listener) {
    listeners.remove(listener);
  }

  /** Returns the registry of listeners owned by scopes: {@code room.listeners().add(scope, l)}. */
  Listeners<RoomListener> listeners() {
    return ownedListeners;
  }

  /** Returns how many listeners the room holds, of both shapes. */
  int listenerCount() {
    return listeners.size() + ownedListeners.size();
  }

  void published(Participant p, AudioTrack track) {
    if (participants.get(p.identity()) != p) {
      throw new IllegalStateException(p.identity() + " is not in room " + name);
    }
    audio.putIfAbsent(p.identity(), track);
  }

  /** Removes {@code p}; returns false if it was not connected. */
  boolean disconnect(Participant p) {
    if (!participants.remove(p.identity(), p)) {
      return false;
    }
    audio.remove(p.identity());
    return true;
  }

  void left(String identity) {
    for (RoomListener l : listeners) {
      l.onParticipantLeft(identity);
    }
    ownedListeners.forEach(l -> l.onParticipantLeft(identity));
  }

  @Override
  public String toString() {
    return "Room[" + name + ", " + participants.size() + " participants]";
  }
}
