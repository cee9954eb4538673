/**
 * Error Prone checks for the common causes of memory, thread and handle leaks in long-running JVM
 * services.
 *
 * <p>Each check is a {@link com.google.errorprone.bugpatterns.BugChecker} listed in {@code
 * META-INF/services/com.google.errorprone.bugpatterns.BugChecker}, so Error Prone loads it when
 * this artifact is on javac's processor path:
 *
 * <ul>
 *   <li>{@link io.lifecycle.errorprone.UnboundedCache}: a Caffeine or Guava cache built with no
 *       size or weight bound;
 *   <li>{@link io.lifecycle.errorprone.UnboundedWait}: a blocking call with no timeout where a
 *       timed form exists;
 *   <li>{@link io.lifecycle.errorprone.ListenerNeverRemoved}: a listener added to a source that the
 *       class never removes it from;
 *   <li>{@link io.lifecycle.errorprone.StaticCollectionGrows}: a static collection that is added to
 *       and never removed from;
 *   <li>{@link io.lifecycle.errorprone.CleanerCapturesReferent}: a {@code Cleaner} action that keeps
 *       its own object reachable.
 * </ul>
 *
 * <p>Each check is suppressed by {@code @SuppressWarnings("CheckName")} on the enclosing
 * declaration. The checks are stateless and thread-safe, as Error Prone requires.
 */
@CheckReturnValue
@NullMarked
package io.lifecycle.errorprone;

import com.google.errorprone.annotations.CheckReturnValue;
import org.jspecify.annotations.NullMarked;
