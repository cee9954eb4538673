package io.lifecycle.examples;

/**
 * One incoming call: a caller who joins the room, speaks for {@code frames} audio frames and then
 * hangs up.
 *
 * @param id the call's number, unique in a run
 * @param caller the caller's identity in the room
 * @param frames how many 10 ms frames the caller speaks before leaving
 */
record Call(int id, String caller, int frames) {}
