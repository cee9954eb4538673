/**
 * Runnable programs that reproduce real leaks of long-running services, leaky and owned side by
 * side.
 *
 * <p>{@link io.lifecycle.examples.AgentServer}: a real-time agent worker that runs each call as a
 * job on a pool of platform threads. {@code LeakyWorker} is the code as its users wrote it, which
 * leaks an audio stream, a room callback, a stats poller and a cache entry per call; {@code
 * OwnedWorker} is the same worker on lifecycle, where each job's scope owns all four. See the
 * module's README for the demo.
 */
@CheckReturnValue
package io.lifecycle.examples;

import com.google.errorprone.annotations.CheckReturnValue;
