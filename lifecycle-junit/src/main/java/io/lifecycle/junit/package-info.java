/**
 * Leak checks for tests: {@link io.lifecycle.junit.LeakCheck @LeakCheck}, a JUnit Jupiter
 * extension that fails a test leaving scopes, owned resources or threads behind, and {@link
 * io.lifecycle.junit.LeakAssertions}, the same check as method calls for other harnesses.
 *
 * <p>Both are built on the public diagnostics of {@code io.lifecycle.core} ({@link
 * io.lifecycle.core.Lifecycle#openScopes()}, {@link io.lifecycle.core.Lifecycle#awaitCleanup},
 * leak listeners) and the JDK's thread list and thread dump.
 *
 * <p>Unless stated otherwise, every method of this package throws {@link NullPointerException}
 * when passed {@code null}.
 */
@CheckReturnValue
package io.lifecycle.junit;

import com.google.errorprone.annotations.CheckReturnValue;
