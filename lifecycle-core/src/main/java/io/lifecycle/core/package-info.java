/**
 * Ownership scopes: every resource a service opens has an owner, and closing the owner releases
 * everything it owns.
 *
 * <p>A {@link io.lifecycle.core.Scope} owns resources, cleanup actions, child scopes and forked
 * tasks; closing it releases them in reverse order, even when one of them fails or hangs. A scope
 * that is dropped without being closed is found by the garbage collector, reported to the {@link
 * io.lifecycle.core.LeakListener}s with the place it was opened, and cleaned up. {@link
 * io.lifecycle.core.Lifecycle} is the runtime: leak level, listeners, snapshots and dumps.
 *
 * <p>Unless stated otherwise, every method of this package throws {@link NullPointerException},
 * naming the argument, when passed {@code null}.
 */
@CheckReturnValue
package io.lifecycle.core;

import com.google.errorprone.annotations.CheckReturnValue;
