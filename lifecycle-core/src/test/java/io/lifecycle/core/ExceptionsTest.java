package io.lifecycle.core;

import static io.lifecycle.core.ScopeTest.assertNpe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The exception types: {@link ClosedException}, {@link ScopeClosedException}, {@link
 * CloseFailedException}, {@link TaskFailedException}. Their use is tested with the operations that
 * throw them.
 */
class ExceptionsTest {

  /** ScopeClosedException is a ClosedException and an IllegalStateException naming the path. */
  @Test
  void scopeClosedException_namesPathAndAttempt() {
    ScopeClosedException e = new ScopeClosedException("app/job", "own X");
    assertEquals("app/job", e.path());
    assertEquals("scope app/job is closed: cannot own X", e.getMessage());
    assertInstanceOf(ClosedException.class, e);
    assertInstanceOf(IllegalStateException.class, e);
    assertNpe("path", () -> new ScopeClosedException(null, "own"));
  }

  /** The other exceptions carry their message and cause. */
  @Test
  void otherExceptions_carryMessageAndCause() {
    IOException cause = new IOException("first");
    assertSame(cause, new CloseFailedException("m", cause).getCause());
    assertSame(cause, new TaskFailedException("m", cause).getCause());
    assertSame(cause, new ClosedException("m", cause).getCause());
    assertEquals("gate closed", new ClosedException("gate closed").getMessage());
  }
}
