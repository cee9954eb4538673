package io.lifecycle.examples;

/** Hears about participants leaving a {@link Room}. Called on the thread that disconnects them. */
@FunctionalInterface
interface RoomListener {
  /**
   * Called when a participant leaves the room.
   *
   * @param identity the identity of the participant who left
   */
  void onParticipantLeft(String identity);
}
