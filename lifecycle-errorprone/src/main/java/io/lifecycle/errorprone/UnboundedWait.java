package io.lifecycle.errorprone;

import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;
import static com.google.errorprone.matchers.method.MethodMatchers.instanceMethod;
import static com.google.errorprone.matchers.method.MethodMatchers.staticMethod;

import com.google.common.collect.ImmutableList;
import com.google.errorprone.BugPattern;
import com.google.errorprone.BugPattern.LinkType;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.matchers.Matchers;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.ThrowTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Type;
import java.io.Serializable;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import javax.inject.Inject;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.type.TypeKind;
import org.jspecify.annotations.Nullable;

/**
 * Flags a blocking call that has no bound where the same type offers a bounded form.
 *
 * <p>An unbounded wait is how a teardown wedges: a close waits on an operation that waits on
 * something that never comes, and the waiting thread pins everything it references until the
 * process is killed. Reported calls and their bounded alternatives:
 *
 * <ul>
 *   <li>{@code Future.get()}: {@code get(timeout, unit)};
 *   <li>{@code CompletableFuture.join()}: {@code orTimeout(...)} before it, or a timed {@code get};
 *   <li>{@code CountDownLatch.await()}, {@code CyclicBarrier.await()}, {@code Condition.await()}
 *       and {@code awaitUninterruptibly()}: the timed {@code await};
 *   <li>{@code Thread.join()}: {@code join(millis)} or {@code join(Duration)};
 *   <li>{@code Object.wait()}: {@code wait(millis)} in the condition loop;
 *   <li>{@code BlockingQueue.take()}, {@code put(e)}, the {@code BlockingDeque} first/last forms
 *       and {@code TransferQueue.transfer(e)}: {@code poll}, {@code offer} or {@code tryTransfer}
 *       with a timeout;
 *   <li>{@code Semaphore.acquire()} and {@code acquireUninterruptibly()}: {@code tryAcquire} with a
 *       timeout;
 *   <li>{@code Process.waitFor()}: {@code waitFor(timeout, unit)};
 *   <li>{@code ExecutorService.close()}: {@code shutdown()}, then {@code awaitTermination(timeout,
 *       unit)}; {@code invokeAll(tasks)} and {@code invokeAny(tasks)}: their timed overloads;
 *   <li>{@code Exchanger.exchange(x)}: {@code exchange(x, timeout, unit)};
 *   <li>{@code Phaser.awaitAdvance(phase)}, {@code awaitAdvanceInterruptibly(phase)} and {@code
 *       arriveAndAwaitAdvance()}: {@code awaitAdvanceInterruptibly(phase, timeout, unit)};
 *   <li>{@code io.lifecycle.core.Scope.join()}: {@code join(Duration)};
 *   <li>methods named with {@code -XepOpt:UnboundedWait:ExtraWaits=pkg.Type#method,...}: any
 *       overload of {@code method} on {@code Type} (or a subtype) that takes no {@code Duration},
 *       {@code TimeUnit} or deadline.
 * </ul>
 *
 * <p>Not reported, because the call cannot block, is bounded elsewhere, or is the implementation
 * of a wait rather than a use of one:
 *
 * <ul>
 *   <li>{@code get()} or {@code join()} on a future known to be complete: under a condition that
 *       tests its {@code isDone()} (or {@code isCompletedNormally()}, {@code
 *       isCompletedExceptionally()}, {@code isCancelled()}), after an early exit when it is not
 *       done, or inside a completion callback of that future ({@code thenApply}, {@code
 *       whenComplete}, {@code handle}, {@code addListener}, ...), including callbacks of {@code
 *       allOf}, Guava's {@code whenAllComplete}/{@code whenAllSucceed} and {@code thenCombine} that
 *       name it; and {@code get()} on a future taken from a {@code CompletionService} or a queue
 *       of futures;
 *   <li>{@code join()} or {@code get()} on a {@code CompletableFuture} after {@code orTimeout} or
 *       {@code completeOnTimeout} in the same chain, or on a local variable on which either is
 *       called;
 *   <li>{@code put} on a queue that never blocks an insert: {@code PriorityBlockingQueue}, {@code
 *       DelayQueue}, {@code LinkedTransferQueue}, or a {@code LinkedBlockingQueue}/{@code Deque}
 *       created without a capacity in this compilation unit;
 *   <li>the body of a method that overrides one of these waits (a {@code Future.get()} or {@code
 *       BlockingQueue.take()} implementation, a {@code Lock.lock()} implementation): it is the
 *       wait, and its callers' calls are reported;
 *   <li>an API's untimed variant offered beside a timed one, and the private helpers reached only
 *       from such variants: a method ({@code await()}, {@code getUninterruptibly(Future)}) whose
 *       class also declares a same-named overload taking a timeout ({@code await(long,
 *       TimeUnit)}). Its callers are reported only when the method is listed in {@code
 *       ExtraWaits};
 *   <li>the untimed branch of a method that takes a timeout ({@code Duration}, a {@code long} with
 *       a {@code TimeUnit}, a deadline, or a {@code long} named like a timeout) when that branch
 *       is chosen by a condition on the timeout: the caller asked to wait forever;
 *   <li>the idle {@code take()} of a consumer loop: the element is used, and the loop runs until
 *       a flag, an interrupt or the element itself stops it ({@code while (true)}, {@code while
 *       (running)}, {@code while ((e = q.take()) != POISON)}); never a counted loop;
 *   <li>an interruptible wait reached only from the {@code run()} of a {@code Thread} subclass, or
 *       inside a loop whose condition tests the thread's interrupt status: the thread's owner
 *       stops it by interrupt. Uninterruptible waits ({@code CompletableFuture.join()}, {@code
 *       awaitUninterruptibly()}, {@code acquireUninterruptibly()}, {@code Phaser.awaitAdvance},
 *       {@code ExecutorService.close()}) are never exempt for this reason;
 *   <li>any wait reached only from {@code static main} (a launcher waiting for its server);
 *   <li>a test hook: a field marked {@code @VisibleForTesting}, or a non-final field named {@code
 *       debug...} or {@code test...} that this code only ever sets to null;
 *   <li>{@code Lock.lock()} (out of scope: a lock is held for short critical sections).
 * </ul>
 *
 * <p>There is no suggested fix: the right timeout is the caller's decision.
 */
@BugPattern(
    summary = "Blocking call with no bound where a bounded alternative exists",
    explanation =
        "A wait with no deadline can last forever: a teardown that waits on an operation that"
            + " waits on a write with no deadline keeps the whole object graph alive until the"
            + " process is killed. Use the timed overload and decide what to do on timeout.",
    severity = WARNING,
    linkType = LinkType.CUSTOM,
    link = Docs.UNBOUNDED_WAIT)
public final class UnboundedWait extends BugChecker implements MethodInvocationTreeMatcher {
  private static final long serialVersionUID = 1L;

  /** The flag that lists extra untimed wait methods, as {@code pkg.Type#method}. */
  static final String EXTRA_WAITS_FLAG = "UnboundedWait:ExtraWaits";

  /** Parameter count of a wait that matches any overload with no timeout parameter. */
  private static final int UNTIMED_OVERLOADS = -1;

  /**
   * A reported call shape and the message that names its bounded alternative.
   *
   * @param parameters the number of parameters of the untimed overload, or {@link
   *     #UNTIMED_OVERLOADS}
   * @param interruptible whether an interrupt ends the wait, so that a thread's owner can stop it
   * @param custom whether it was named by {@link #EXTRA_WAITS_FLAG} (static methods match too)
   */
  private record Wait(
      String owner,
      Set<String> names,
      int parameters,
      String call,
      String fix,
      boolean future,
      boolean interruptible,
      boolean custom)
      implements Serializable {
    Matcher<ExpressionTree> matcher() {
      Matcher<ExpressionTree> instance = instanceMethod().onDescendantOf(owner).namedAnyOf(names);
      return custom
          ? Matchers.anyOf(instance, staticMethod().onClass(owner).namedAnyOf(names))
          : instance;
    }

    /** Whether {@code method}, already matched by name and owner, is the untimed overload. */
    boolean accepts(Symbol.MethodSymbol method) {
      if (parameters == UNTIMED_OVERLOADS) {
        for (Symbol.VarSymbol parameter : method.getParameters()) {
          if (isTimeoutType(parameter.type)) {
            return false;
          }
        }
        return true;
      }
      return method.getParameters().size() == parameters;
    }

    boolean isTake() {
      return names.contains("take") || names.contains("takeFirst");
    }
  }

  private static Wait jdk(
      String owner,
      Set<String> names,
      int parameters,
      String call,
      String fix,
      boolean interruptible) {
    return new Wait(owner, names, parameters, call, fix, false, interruptible, false);
  }

  private static final ImmutableList<Wait> WAITS =
      ImmutableList.of(
          new Wait(
              "java.util.concurrent.Future",
              Set.of("get"),
              0,
              "Future.get()",
              "get(timeout, unit)",
              true,
              true,
              false),
          new Wait(
              "java.util.concurrent.CompletableFuture",
              Set.of("join"),
              0,
              "CompletableFuture.join()",
              "orTimeout(timeout, unit) before joining, or get(timeout, unit)",
              true,
              false,
              false),
          jdk(
              "java.util.concurrent.CountDownLatch",
              Set.of("await"),
              0,
              "CountDownLatch.await()",
              "await(timeout, unit)",
              true),
          jdk(
              "java.util.concurrent.CyclicBarrier",
              Set.of("await"),
              0,
              "CyclicBarrier.await()",
              "await(timeout, unit)",
              true),
          jdk(
              "java.util.concurrent.locks.Condition",
              Set.of("await"),
              0,
              "Condition.await()",
              "await(timeout, unit) or awaitNanos(nanos) in the condition loop",
              true),
          jdk(
              "java.util.concurrent.locks.Condition",
              Set.of("awaitUninterruptibly"),
              0,
              "Condition.awaitUninterruptibly()",
              "await(timeout, unit) or awaitNanos(nanos) in the condition loop",
              false),
          jdk(
              "java.lang.Thread",
              Set.of("join"),
              0,
              "Thread.join()",
              "join(millis) or join(Duration)",
              true),
          jdk(
              "java.lang.Object",
              Set.of("wait"),
              0,
              "Object.wait()",
              "wait(millis) in the condition loop, with a deadline",
              true),
          jdk(
              "java.util.concurrent.BlockingQueue",
              Set.of("take"),
              0,
              "BlockingQueue.take()",
              "poll(timeout, unit)",
              true),
          jdk(
              "java.util.concurrent.BlockingDeque",
              Set.of("takeFirst", "takeLast"),
              0,
              "BlockingDeque.takeFirst()/takeLast()",
              "pollFirst(timeout, unit) or pollLast(timeout, unit)",
              true),
          jdk(
              "java.util.concurrent.BlockingQueue",
              Set.of("put"),
              1,
              "BlockingQueue.put(e)",
              "offer(e, timeout, unit)",
              true),
          jdk(
              "java.util.concurrent.BlockingDeque",
              Set.of("putFirst", "putLast"),
              1,
              "BlockingDeque.putFirst(e)/putLast(e)",
              "offerFirst(e, timeout, unit) or offerLast(e, timeout, unit)",
              true),
          jdk(
              "java.util.concurrent.TransferQueue",
              Set.of("transfer"),
              1,
              "TransferQueue.transfer(e)",
              "tryTransfer(e, timeout, unit)",
              true),
          jdk(
              "java.util.concurrent.Semaphore",
              Set.of("acquire"),
              UNTIMED_OVERLOADS,
              "Semaphore.acquire()",
              "tryAcquire(timeout, unit)",
              true),
          jdk(
              "java.util.concurrent.Semaphore",
              Set.of("acquireUninterruptibly"),
              UNTIMED_OVERLOADS,
              "Semaphore.acquireUninterruptibly()",
              "tryAcquire(timeout, unit)",
              false),
          jdk(
              "java.lang.Process",
              Set.of("waitFor"),
              0,
              "Process.waitFor()",
              "waitFor(timeout, unit), then destroy() on timeout",
              true),
          // Waits for every task to finish; an interrupt makes it shutdownNow() and wait again.
          jdk(
              "java.util.concurrent.ExecutorService",
              Set.of("close"),
              0,
              "ExecutorService.close()",
              "shutdown(), then awaitTermination(timeout, unit) and shutdownNow() on timeout",
              false),
          jdk(
              "java.util.concurrent.ExecutorService",
              Set.of("invokeAll", "invokeAny"),
              1,
              "ExecutorService.invokeAll(tasks)/invokeAny(tasks)",
              "invokeAll(tasks, timeout, unit) or invokeAny(tasks, timeout, unit)",
              true),
          jdk(
              "java.util.concurrent.Exchanger",
              Set.of("exchange"),
              1,
              "Exchanger.exchange(x)",
              "exchange(x, timeout, unit)",
              true),
          jdk(
              "java.util.concurrent.Phaser",
              Set.of("awaitAdvance", "arriveAndAwaitAdvance"),
              UNTIMED_OVERLOADS,
              "Phaser.awaitAdvance(phase)/arriveAndAwaitAdvance()",
              "awaitAdvanceInterruptibly(phase, timeout, unit)",
              false),
          jdk(
              "java.util.concurrent.Phaser",
              Set.of("awaitAdvanceInterruptibly"),
              1,
              "Phaser.awaitAdvanceInterruptibly(phase)",
              "awaitAdvanceInterruptibly(phase, timeout, unit)",
              true),
          jdk(
              "io.lifecycle.core.Scope",
              Set.of("join"),
              0,
              "Scope.join()",
              "join(Duration)",
              true));

  /** The matchers of {@link #WAITS}, built once. */
  private static final ImmutableList<Matcher<ExpressionTree>> MATCHERS =
      WAITS.stream().map(Wait::matcher).collect(ImmutableList.toImmutableList());

  /** Queues whose insert never blocks, so {@code put} is not a wait. */
  private static final Set<String> NON_BLOCKING_PUT =
      Set.of(
          "java.util.concurrent.PriorityBlockingQueue",
          "java.util.concurrent.DelayQueue",
          "java.util.concurrent.LinkedTransferQueue");

  /** Queues that are unbounded when created without a capacity. */
  private static final Set<String> OPTIONALLY_BOUNDED =
      Set.of(
          "java.util.concurrent.LinkedBlockingQueue", "java.util.concurrent.LinkedBlockingDeque");

  /** Methods whose result tells that a future is complete. */
  private static final Set<String> DONE_TESTS =
      Set.of("isDone", "isCompletedNormally", "isCompletedExceptionally", "isCancelled");

  /** Methods that run their callback argument only once the receiver future has completed. */
  private static final Set<String> COMPLETION_CALLBACKS =
      Set.of(
          "thenApply", "thenApplyAsync", "thenAccept", "thenAcceptAsync", "thenRun",
          "thenRunAsync", "thenCompose", "thenComposeAsync", "whenComplete", "whenCompleteAsync",
          "handle", "handleAsync", "exceptionally", "exceptionallyAsync", "exceptionallyCompose",
          "exceptionallyComposeAsync", "thenCombine", "thenCombineAsync", "thenAcceptBoth",
          "thenAcceptBothAsync", "runAfterBoth", "runAfterBothAsync", "addListener", "call",
          "callAsync", "run", "transform", "transformAsync", "catching", "catchingAsync");

  /** Methods that combine futures and complete only when all of their arguments have. */
  private static final Set<String> ALL_OF = Set.of("allOf", "whenAllComplete", "whenAllSucceed");

  /** Calls that bound a {@code CompletableFuture} in place. */
  private static final Set<String> TIMEOUTS = Set.of("orTimeout", "completeOnTimeout");

  /** Untimed JDK lock acquisitions: implementing one is implementing a wait. */
  private static final Set<String> LOCK_METHODS = Set.of("lock", "lockInterruptibly");

  private static final Supplier<Type> LOCK =
      VisitorState.memoize(state -> state.getTypeFromString("java.util.concurrent.locks.Lock"));

  private static final Supplier<Type> THREAD =
      VisitorState.memoize(state -> state.getTypeFromString("java.lang.Thread"));

  /** A whole-number parameter named like a timeout: timeoutSeconds, waitMillis, maxWaitMs. */
  private static final Pattern TIMEOUT_NAME =
      Pattern.compile("(?i:timeout|deadline|millis|nanos)|[a-z](?:Ms|Ns)$");

  /** A boolean parameter that says whether there is a timeout: hasMaxWait, timed, useTimeout. */
  private static final Pattern TIMEOUT_FLAG_NAME = Pattern.compile("(?i:wait|time)");

  /** A field named like a test hook. */
  private static final Pattern TEST_HOOK_NAME = Pattern.compile("^(debug|test)[A-Z_].*");

  /** The waits named by {@link #EXTRA_WAITS_FLAG}. */
  private final ImmutableList<Wait> extraWaits;

  /** The matchers of {@link #extraWaits}. */
  @SuppressWarnings("serial") // Error Prone never serialises a checker
  private final ImmutableList<Matcher<ExpressionTree>> extraMatchers;

  /** Creates the check with no extra waits. */
  public UnboundedWait() {
    this(ErrorProneFlags.empty());
  }

  /**
   * Creates the check; Error Prone calls this constructor with the {@code -XepOpt} flags.
   *
   * @param flags {@code UnboundedWait:ExtraWaits}: a comma-separated list of {@code
   *     pkg.Type#method} naming more untimed waits
   * @throws IllegalArgumentException if an entry of {@code ExtraWaits} is not {@code
   *     pkg.Type#method}
   */
  @Inject
  public UnboundedWait(ErrorProneFlags flags) {
    ImmutableList.Builder<Wait> extra = ImmutableList.builder();
    for (String entry : flags.getListOrEmpty(EXTRA_WAITS_FLAG)) {
      String trimmed = entry.strip();
      int hash = trimmed.indexOf('#');
      if (hash <= 0
          || hash == trimmed.length() - 1
          || trimmed.indexOf('#', hash + 1) >= 0) {
        throw new IllegalArgumentException(
            "-XepOpt:" + EXTRA_WAITS_FLAG + " entries must be pkg.Type#method: " + entry);
      }
      String owner = trimmed.substring(0, hash);
      String name = trimmed.substring(hash + 1);
      extra.add(
          new Wait(
              owner,
              Set.of(name),
              UNTIMED_OVERLOADS,
              owner.substring(owner.lastIndexOf('.') + 1) + "." + name + "(...)",
              "its timed overload",
              false,
              false,
              true));
    }
    extraWaits = extra.build();
    extraMatchers = extraWaits.stream().map(Wait::matcher).collect(ImmutableList.toImmutableList());
  }

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    Wait wait = matchingWait(tree, state);
    if (wait == null || implementsBlockingMethod(state)) {
      return Description.NO_MATCH;
    }
    ExpressionTree receiver = ASTHelpers.getReceiver(tree);
    MethodTree enclosing = enclosingMethod(state.getPath());
    if (enclosing != null
        && (untimedBranchOfTimedMethod(enclosing, state.getPath())
            || reachedOnlyFrom(
                enclosing, UnboundedWait::untimedVariantBesideTimed, state, new HashSet<>())
            || reachedOnlyFrom(enclosing, UnboundedWait::isMain, state, new HashSet<>())
            || (wait.interruptible()
                && reachedOnlyFrom(
                    enclosing, method -> isThreadRun(method, state), state, new HashSet<>())))) {
      return Description.NO_MATCH;
    }
    if (wait.interruptible() && inInterruptLoop(state.getPath())) {
      return Description.NO_MATCH;
    }
    if (receiver != null && isTestHook(receiver, state)) {
      return Description.NO_MATCH;
    }
    if (wait.isTake() && inConsumerLoop(state.getPath())) {
      return Description.NO_MATCH;
    }
    if (wait.call().startsWith("BlockingQueue.put") && putNeverBlocks(receiver, state)) {
      return Description.NO_MATCH;
    }
    if (wait.future() && (receiver == null || Sources.isThis(receiver))) {
      if (alwaysDone(state)) {
        return Description.NO_MATCH;
      }
    } else if (wait.future()) {
      if (hasTimeout(receiver, state)
          || knownDone(receiver, state.getPath())
          || fromCompletionQueue(receiver, state)) {
        return Description.NO_MATCH;
      }
    }
    return buildDescription(tree)
        .setMessage(
            "Unbounded wait: "
                + wait.call()
                + " can block forever, pinning this thread and everything it references (a"
                + " teardown waiting here never finishes); use "
                + wait.fix()
                + " and handle the timeout")
        .build();
  }

  /**
   * Whether the enclosing class is a future that is always complete: it declares {@code isDone()}
   * as {@code return true;} (an immediate future), so its own {@code get()} never blocks.
   */
  private static boolean alwaysDone(VisitorState state) {
    ClassTree enclosing = ASTHelpers.findEnclosingNode(state.getPath(), ClassTree.class);
    if (enclosing == null) {
      return false;
    }
    for (Tree member : enclosing.getMembers()) {
      if (member instanceof MethodTree method
          && method.getName().contentEquals("isDone")
          && method.getParameters().isEmpty()
          && method.getBody() != null
          && method.getBody().getStatements().size() == 1
          && method.getBody().getStatements().get(0) instanceof ReturnTree ret
          && ret.getExpression() != null
          && Boolean.TRUE.equals(ASTHelpers.constValue(ret.getExpression(), Boolean.class))) {
        return true;
      }
    }
    return false;
  }

  /** The wait that {@code tree} calls, or null. */
  private @Nullable Wait matchingWait(MethodInvocationTree tree, VisitorState state) {
    Symbol.MethodSymbol method = ASTHelpers.getSymbol(tree);
    for (int i = 0; i < WAITS.size(); i++) {
      if (MATCHERS.get(i).matches(tree, state) && WAITS.get(i).accepts(method)) {
        return WAITS.get(i);
      }
    }
    for (int i = 0; i < extraWaits.size(); i++) {
      if (extraMatchers.get(i).matches(tree, state) && extraWaits.get(i).accepts(method)) {
        return extraWaits.get(i);
      }
    }
    return null;
  }

  /**
   * Whether the call is in the body of a method that overrides one of the JDK's untimed waits or
   * lock acquisitions (a {@code Future.get()}, {@code BlockingQueue.take()} or {@code Lock.lock()}
   * implementation): that method is the wait, and the calls to it are what is reported.
   */
  private static boolean implementsBlockingMethod(VisitorState state) {
    for (Tree tree : state.getPath()) {
      if (tree instanceof LambdaExpressionTree || tree instanceof ClassTree) {
        return false;
      }
      if (tree instanceof MethodTree method) {
        Symbol.MethodSymbol symbol = ASTHelpers.getSymbol(method);
        for (Symbol.MethodSymbol overridden :
            ASTHelpers.findSuperMethods(symbol, state.getTypes())) {
          if (isBlockingMethod(overridden, state)) {
            return true;
          }
        }
        return false;
      }
    }
    return false;
  }

  /** Whether {@code method} is one of the JDK's untimed waits, or an untimed lock acquisition. */
  private static boolean isBlockingMethod(Symbol.MethodSymbol method, VisitorState state) {
    String name = method.getSimpleName().toString();
    if (LOCK_METHODS.contains(name) && method.getParameters().isEmpty()) {
      Type lock = LOCK.get(state);
      return lock != null && ASTHelpers.isSubtype(method.owner.type, lock, state);
    }
    for (Wait wait : WAITS) {
      if (wait.names().contains(name) && wait.accepts(method)) {
        Type owner = state.getTypeFromString(wait.owner());
        if (owner != null && ASTHelpers.isSubtype(method.owner.type, owner, state)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether the waited object is a test hook: a field marked {@code @VisibleForTesting}, or a
   * non-final field named {@code debug...} or {@code test...} that this code never sets to
   * anything but null (so only tests set it).
   */
  private static boolean isTestHook(ExpressionTree receiver, VisitorState state) {
    Symbol.VarSymbol field = Sources.variable(receiver);
    if (field == null || field.getKind() != ElementKind.FIELD) {
      return false;
    }
    if (ASTHelpers.hasDirectAnnotationWithSimpleName(field, "VisibleForTesting")) {
      return true;
    }
    if (field.getModifiers().contains(Modifier.FINAL)
        || !TEST_HOOK_NAME.matcher(field.getSimpleName().toString()).matches()) {
      return false;
    }
    List<ExpressionTree> values = Sources.heldValues(state, field);
    if (values == null) {
      return false;
    }
    for (ExpressionTree value : values) {
      if (Sources.strip(value).getKind() != Tree.Kind.NULL_LITERAL) {
        return false;
      }
    }
    return true;
  }

  /** The method whose body holds {@code path}, or null inside a lambda or a class initialiser. */
  private static @Nullable MethodTree enclosingMethod(TreePath path) {
    for (Tree tree : path) {
      if (tree instanceof LambdaExpressionTree || tree instanceof ClassTree) {
        return null;
      }
      if (tree instanceof MethodTree method) {
        return method;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // Waits whose bound is the caller's choice
  // ---------------------------------------------------------------------------------------------

  /** Whether {@code type} carries a timeout: {@code Duration}, {@code TimeUnit} or a deadline. */
  private static boolean isTimeoutType(@Nullable Type type) {
    if (type == null || type.tsym == null || type.isPrimitive()) {
      return false;
    }
    String name = type.tsym.getQualifiedName().toString();
    return name.equals("java.time.Duration")
        || name.equals("java.util.concurrent.TimeUnit")
        || type.tsym.getSimpleName().toString().endsWith("Deadline");
  }

  /**
   * The parameters of {@code method} that carry a timeout: a {@code Duration}, {@code TimeUnit}
   * or deadline; the numbers beside a {@code TimeUnit}; a {@code long} or {@code int} (or their
   * boxes, where null means no timeout) named like a timeout ({@code timeoutMs}, {@code
   * waitMillis}, {@code maxWaitMs}); and, when there is one of those, a {@code boolean} beside it
   * named for it ({@code hasMaxWait}, {@code timed}), which chooses the timed or the untimed
   * form. A {@code boolean} alone
   * ({@code close(boolean awaitTermination)}) carries no timeout.
   */
  private static Set<Symbol> timeoutParameters(MethodTree method) {
    Set<Symbol> found = new HashSet<>();
    boolean unit = false;
    for (VariableTree parameter : method.getParameters()) {
      Type type = ASTHelpers.getType(parameter);
      if (isTimeoutType(type)) {
        found.add(ASTHelpers.getSymbol(parameter));
        unit |= type.tsym.getQualifiedName().contentEquals("java.util.concurrent.TimeUnit");
      }
    }
    for (VariableTree parameter : method.getParameters()) {
      if (isWholeNumber(ASTHelpers.getType(parameter))
          && (unit || TIMEOUT_NAME.matcher(parameter.getName()).find())) {
        found.add(ASTHelpers.getSymbol(parameter));
      }
    }
    if (!found.isEmpty()) {
      // A flag beside a timeout chooses between the timed and the untimed form (hasMaxWait).
      for (VariableTree parameter : method.getParameters()) {
        Type type = ASTHelpers.getType(parameter);
        if (type != null
            && type.getKind() == TypeKind.BOOLEAN
            && TIMEOUT_FLAG_NAME.matcher(parameter.getName()).find()) {
          found.add(ASTHelpers.getSymbol(parameter));
        }
      }
    }
    return found;
  }

  /** Whether {@code type} is {@code long}, {@code int} or their boxes (null meaning "no timeout"). */
  private static boolean isWholeNumber(@Nullable Type type) {
    if (type == null) {
      return false;
    }
    if (type.getKind() == TypeKind.LONG || type.getKind() == TypeKind.INT) {
      return true;
    }
    return type.tsym != null
        && (type.tsym.getQualifiedName().contentEquals("java.lang.Long")
            || type.tsym.getQualifiedName().contentEquals("java.lang.Integer"));
  }

  /**
   * Whether the wait at {@code path} is the untimed branch of a method that takes a timeout: a
   * condition that reads the timeout (or a local computed from it) chooses the branch, as in
   * {@code timeout.isNegative() ? q.take() : q.poll(timeout)}, or an earlier {@code if} on the
   * timeout returns. The caller asked to wait forever. A timeout parameter that does not choose
   * the branch bounds nothing, and the wait is reported.
   */
  private static boolean untimedBranchOfTimedMethod(MethodTree method, TreePath path) {
    Set<Symbol> timeouts = timeoutParameters(method);
    if (timeouts.isEmpty() || method.getBody() == null) {
      return false;
    }
    // Locals computed from the timeout (long nanos = unit.toNanos(timeout)) carry it too.
    for (int round = 0; round < 2; round++) {
      method
          .getBody()
          .accept(
              new Sources.OwnCodeScanner<Void, Void>() {
                @Override
                public Void visitVariable(VariableTree variable, Void unused) {
                  if (variable.getInitializer() != null
                      && readsAny(variable.getInitializer(), timeouts)) {
                    timeouts.add(ASTHelpers.getSymbol(variable));
                  }
                  return super.visitVariable(variable, null);
                }
              },
              null);
    }
    Tree child = path.getLeaf();
    for (TreePath parent = path.getParentPath();
        parent != null && !Sources.same(parent.getLeaf(), method);
        child = parent.getLeaf(), parent = parent.getParentPath()) {
      Tree leaf = parent.getLeaf();
      if (leaf instanceof IfTree ifTree) {
        if (!Sources.same(child, ifTree.getCondition())
            && readsAny(ifTree.getCondition(), timeouts)) {
          return true;
        }
      } else if (leaf instanceof ConditionalExpressionTree conditional) {
        if (!Sources.same(child, conditional.getCondition())
            && readsAny(conditional.getCondition(), timeouts)) {
          return true;
        }
      } else if (leaf instanceof BlockTree block) {
        for (StatementTree statement : block.getStatements()) {
          if (Sources.same(statement, child)) {
            break;
          }
          if (statement instanceof IfTree ifTree
              && ifTree.getElseStatement() == null
              && readsAny(ifTree.getCondition(), timeouts)
              && exits(ifTree.getThenStatement())) {
            return true;
          }
        }
      } else if (leaf instanceof LambdaExpressionTree || leaf instanceof ClassTree) {
        return false;
      }
    }
    return false;
  }

  /** Whether {@code tree} reads any of {@code symbols}. */
  private static boolean readsAny(Tree tree, Set<Symbol> symbols) {
    return new Sources.Finder() {
      @Override
      public Boolean visitIdentifier(IdentifierTree identifier, Void unused) {
        return symbols.contains(ASTHelpers.getSymbol(identifier));
      }
    }.foundIn(tree);
  }

  /**
   * Whether the method is an API's untimed variant, offered beside a timed one: its class declares
   * a same-named overload that takes a {@code Duration}, {@code TimeUnit} or deadline ({@code
   * await()} beside {@code await(long, TimeUnit)}, {@code enterWhen(guard)} beside {@code
   * enterWhen(guard, time, unit)}). The choice of form is its callers'; they are reported when
   * the method is listed in {@code ExtraWaits}. A method with no timed sibling ({@code get(String
   * key)}, a class's own {@code join()}) is not exempt, whatever its name.
   */
  private static boolean untimedVariantBesideTimed(MethodTree method) {
    Symbol.MethodSymbol symbol = ASTHelpers.getSymbol(method);
    for (Symbol.VarSymbol own : symbol.getParameters()) {
      if (isTimeoutType(own.type)) {
        return false; // itself a timed form: its timeout must bound its waits
      }
    }
    for (Symbol sibling : symbol.owner.members().getSymbolsByName(symbol.getSimpleName())) {
      if (sibling instanceof Symbol.MethodSymbol overload && !overload.equals(symbol)) {
        for (Symbol.VarSymbol p : overload.getParameters()) {
          if (isTimeoutType(p.type)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * Whether {@code path} is in a loop whose condition tests the thread's interrupt status ({@code
   * while (!Thread.currentThread().isInterrupted())}, {@code while (!Thread.interrupted())}): the
   * loop's owner ends it, and the wait in it, by interrupting the thread.
   */
  private static boolean inInterruptLoop(TreePath path) {
    for (Tree tree : path) {
      if (tree instanceof LambdaExpressionTree
          || tree instanceof ClassTree
          || tree instanceof MethodTree) {
        return false;
      }
      ExpressionTree condition = loopCondition(tree);
      if (condition != null && testsInterrupt(condition)) {
        return true;
      }
    }
    return false;
  }

  private static @Nullable ExpressionTree loopCondition(Tree tree) {
    if (tree instanceof WhileLoopTree loop) {
      return loop.getCondition();
    }
    if (tree instanceof DoWhileLoopTree loop) {
      return loop.getCondition();
    }
    if (tree instanceof ForLoopTree loop) {
      return loop.getCondition();
    }
    return null;
  }

  private static boolean testsInterrupt(ExpressionTree condition) {
    return new Sources.Finder() {
      @Override
      public Boolean visitMethodInvocation(MethodInvocationTree call, Void unused) {
        String name = Sources.methodName(call);
        return name.equals("isInterrupted")
            || name.equals("interrupted")
            || Boolean.TRUE.equals(super.visitMethodInvocation(call, null));
      }
    }.foundIn(condition);
  }

  /**
   * Whether the {@code take()} at {@code path} is the idle wait of a consumer loop: its element
   * is used (not discarded), and its innermost loop is not counted. The loop either takes in its
   * own condition ({@code while ((e = q.take()) != POISON)}), or runs until a flag, an interrupt
   * or a {@code break} ends it: {@code while (true)}, {@code for (;;)}, {@code while (running)},
   * {@code while (!closed.get())}. A loop whose condition compares numbers, steps a counter or
   * reads a numeric local ({@code for (int i = 0; i < n; i++)}, {@code while (out.size() < n)})
   * takes a known number of elements and each take is reported; so is a take inside a for-each.
   */
  private static boolean inConsumerLoop(TreePath path) {
    if (path.getParentPath().getLeaf() instanceof ExpressionStatementTree) {
      return false; // the element is discarded: a wait for a signal, not a consumer
    }
    Tree child = path.getLeaf();
    for (TreePath parent = path.getParentPath();
        parent != null;
        child = parent.getLeaf(), parent = parent.getParentPath()) {
      Tree leaf = parent.getLeaf();
      if (leaf instanceof LambdaExpressionTree
          || leaf instanceof ClassTree
          || leaf instanceof MethodTree
          || leaf instanceof EnhancedForLoopTree) {
        return false;
      }
      if (leaf instanceof ForLoopTree loop) {
        if (Sources.same(child, loop.getCondition())) {
          return true;
        }
        return loop.getUpdate().isEmpty()
            && (loop.getCondition() == null || !counted(loop.getCondition()));
      }
      ExpressionTree condition = loopCondition(leaf);
      if (condition != null) {
        return Sources.same(child, condition) || !counted(condition);
      }
    }
    return false;
  }

  /** The operators that make a loop condition count: numeric comparisons and steps. */
  private static final Set<Tree.Kind> COUNTING_OPERATORS =
      EnumSet.of(
          Tree.Kind.LESS_THAN,
          Tree.Kind.LESS_THAN_EQUAL,
          Tree.Kind.GREATER_THAN,
          Tree.Kind.GREATER_THAN_EQUAL,
          Tree.Kind.PREFIX_DECREMENT,
          Tree.Kind.PREFIX_INCREMENT,
          Tree.Kind.POSTFIX_DECREMENT,
          Tree.Kind.POSTFIX_INCREMENT);

  /** Whether a loop condition counts: compares numbers, steps a counter, or reads a numeric local. */
  private static boolean counted(ExpressionTree condition) {
    return new Sources.Finder() {
      @Override
      public Boolean visitBinary(BinaryTree binary, Void unused) {
        return COUNTING_OPERATORS.contains(binary.getKind())
            || Boolean.TRUE.equals(super.visitBinary(binary, null));
      }

      @Override
      public Boolean visitUnary(UnaryTree unary, Void unused) {
        return COUNTING_OPERATORS.contains(unary.getKind())
            || Boolean.TRUE.equals(super.visitUnary(unary, null));
      }

      @Override
      public Boolean visitCompoundAssignment(CompoundAssignmentTree tree, Void unused) {
        return true;
      }

      @Override
      public Boolean visitIdentifier(IdentifierTree identifier, Void unused) {
        Symbol symbol = ASTHelpers.getSymbol(identifier);
        return symbol instanceof Symbol.VarSymbol var
            && (var.getKind() == ElementKind.LOCAL_VARIABLE
                || var.getKind() == ElementKind.PARAMETER)
            && var.type.isPrimitive()
            && var.type.getKind() != TypeKind.BOOLEAN;
      }
    }.foundIn(condition);
  }

  // ---------------------------------------------------------------------------------------------
  // Launchers and thread bodies
  // ---------------------------------------------------------------------------------------------

  private static boolean isMain(MethodTree method) {
    Symbol.MethodSymbol symbol = ASTHelpers.getSymbol(method);
    return symbol.isStatic()
        && method.getName().contentEquals("main")
        && method.getParameters().size() == 1;
  }

  /**
   * Whether {@code method} is the {@code run()} of a {@code Thread} subclass: the body of a
   * thread that its owner stops by interrupt. A {@code Runnable}'s {@code run()} is not: it may
   * run on a pool thread that nobody interrupts.
   */
  private static boolean isThreadRun(MethodTree method, VisitorState state) {
    if (!method.getName().contentEquals("run") || !method.getParameters().isEmpty()) {
      return false;
    }
    Type thread = THREAD.get(state);
    Symbol owner = ASTHelpers.getSymbol(method).owner;
    return thread != null && ASTHelpers.isSubtype(owner.type, thread, state);
  }

  /**
   * Whether {@code method} is a root, or is called in this compilation unit, and only from
   * methods that are themselves reached only from a root.
   */
  private static boolean reachedOnlyFrom(
      MethodTree method,
      Predicate<MethodTree> root,
      VisitorState state,
      Set<Symbol.MethodSymbol> visiting) {
    if (root.test(method)) {
      return true;
    }
    Symbol.MethodSymbol symbol = ASTHelpers.getSymbol(method);
    if (!visiting.add(symbol) || visiting.size() > 8) {
      return false;
    }
    Sources.MethodUses uses = Sources.uses(state, symbol);
    if (uses.calls().isEmpty() || uses.referenced()) {
      return false;
    }
    for (TreePath caller : uses.calls()) {
      MethodTree enclosing = enclosingMethod(caller);
      if (enclosing == null || !reachedOnlyFrom(enclosing, root, state, visiting)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the future was taken from a queue of futures or a {@code CompletionService}: futures are
   * queued when they complete.
   */
  private static boolean fromCompletionQueue(ExpressionTree receiver, VisitorState state) {
    ExpressionTree stripped = Sources.strip(receiver);
    if (isQueueRead(stripped)) {
      return true;
    }
    Symbol.VarSymbol var = Sources.variable(stripped);
    if (var == null || var.getKind() != ElementKind.LOCAL_VARIABLE) {
      return false;
    }
    List<ExpressionTree> values = Sources.heldValues(state, var);
    return values != null
        && Sources.allNonNull(values, value -> isQueueRead(Sources.strip(value)));
  }

  private static boolean isQueueRead(ExpressionTree tree) {
    if (!(tree instanceof MethodInvocationTree invocation)) {
      return false;
    }
    String name = Sources.methodName(invocation);
    if (!name.equals("take") && !name.equals("poll")) {
      return false;
    }
    ExpressionTree receiver = ASTHelpers.getReceiver(invocation);
    Type type = receiver == null ? null : ASTHelpers.getType(receiver);
    if (type == null || type.tsym == null) {
      return false;
    }
    String owner = type.tsym.getQualifiedName().toString();
    if (owner.endsWith("CompletionService")) {
      return true;
    }
    // A queue whose elements are futures.
    Type element = type.getTypeArguments().isEmpty() ? null : type.getTypeArguments().get(0);
    return element != null
        && element.tsym != null
        && element.tsym.getSimpleName().toString().endsWith("Future");
  }

  // ---------------------------------------------------------------------------------------------
  // Queues whose put never blocks
  // ---------------------------------------------------------------------------------------------

  private static boolean putNeverBlocks(@Nullable ExpressionTree receiver, VisitorState state) {
    Type type =
        receiver == null
            ? ASTHelpers.getType(ASTHelpers.findEnclosingNode(state.getPath(), ClassTree.class))
            : ASTHelpers.getType(receiver);
    if (type != null && extendsAny(type, NON_BLOCKING_PUT, state)) {
      return true;
    }
    Symbol.VarSymbol var = receiver == null ? null : Sources.variable(receiver);
    if (var == null) {
      return false;
    }
    List<ExpressionTree> values = Sources.heldValues(state, var);
    if (values == null || values.isEmpty()) {
      return false;
    }
    for (ExpressionTree value : values) {
      if (!(Sources.strip(value) instanceof NewClassTree created
          && created.getClassBody() == null
          && (extendsAny(ASTHelpers.getType(created), NON_BLOCKING_PUT, state)
              || (extendsAny(ASTHelpers.getType(created), OPTIONALLY_BOUNDED, state)
                  && !hasIntArgument(created))))) {
        return false;
      }
    }
    return true;
  }

  private static boolean hasIntArgument(NewClassTree created) {
    for (ExpressionTree argument : created.getArguments()) {
      Type type = ASTHelpers.getType(argument);
      if (type != null && type.isPrimitive()) {
        return true;
      }
    }
    return false;
  }

  private static boolean extendsAny(@Nullable Type type, Set<String> names, VisitorState state) {
    if (type == null) {
      return false;
    }
    for (String name : names) {
      Type candidate = state.getTypeFromString(name);
      if (candidate != null && ASTHelpers.isSubtype(type, candidate, state)) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------------
  // CompletableFuture bounded by orTimeout
  // ---------------------------------------------------------------------------------------------

  private static boolean hasTimeout(ExpressionTree receiver, VisitorState state) {
    if (chainHasTimeout(receiver)) {
      return true;
    }
    Symbol.VarSymbol var = Sources.variable(receiver);
    if (var == null || var.getKind() == ElementKind.FIELD) {
      return false;
    }
    TreePath declaration = Sources.findDeclaration(state, var);
    if (declaration == null) {
      return false;
    }
    if (declaration.getLeaf() instanceof VariableTree variable
        && variable.getInitializer() != null
        && chainHasTimeout(variable.getInitializer())) {
      return true;
    }
    return Sources.selectsMember(Sources.localScope(declaration), var, TIMEOUTS);
  }

  private static boolean chainHasTimeout(ExpressionTree expression) {
    for (ExpressionTree current = Sources.strip(expression);
        current instanceof MethodInvocationTree invocation;
        current = receiverOf(invocation)) {
      if (TIMEOUTS.contains(Sources.methodName(invocation))) {
        return true;
      }
    }
    return false;
  }

  private static @Nullable ExpressionTree receiverOf(MethodInvocationTree invocation) {
    ExpressionTree receiver = ASTHelpers.getReceiver(invocation);
    return receiver == null ? null : Sources.strip(receiver);
  }

  // ---------------------------------------------------------------------------------------------
  // Futures known to be complete
  // ---------------------------------------------------------------------------------------------

  /** Whether the future read by {@code receiver} is complete where the call at {@code path} runs. */
  private static boolean knownDone(ExpressionTree receiver, TreePath path) {
    if (Sources.variable(receiver) == null) {
      return false;
    }
    Tree child = path.getLeaf();
    for (TreePath parent = path.getParentPath();
        parent != null;
        child = parent.getLeaf(), parent = parent.getParentPath()) {
      Tree leaf = parent.getLeaf();
      if (leaf instanceof IfTree ifTree) {
        if (Sources.same(child, ifTree.getThenStatement()) && implies(ifTree.getCondition(), receiver, true)) {
          return true;
        }
        if (Sources.same(child, ifTree.getElseStatement())
            && implies(ifTree.getCondition(), receiver, false)) {
          return true;
        }
      } else if (leaf instanceof ConditionalExpressionTree conditional) {
        if (Sources.same(child, conditional.getTrueExpression())
            && implies(conditional.getCondition(), receiver, true)) {
          return true;
        }
        if (Sources.same(child, conditional.getFalseExpression())
            && implies(conditional.getCondition(), receiver, false)) {
          return true;
        }
      } else if (leaf instanceof BinaryTree binary && Sources.same(child, binary.getRightOperand())) {
        if (binary.getKind() == Tree.Kind.CONDITIONAL_AND
            && implies(binary.getLeftOperand(), receiver, true)) {
          return true;
        }
        if (binary.getKind() == Tree.Kind.CONDITIONAL_OR
            && implies(binary.getLeftOperand(), receiver, false)) {
          return true;
        }
      } else if (leaf instanceof BlockTree block) {
        if (exitsUnlessDone(block, child, receiver)) {
          return true;
        }
      } else if (leaf instanceof LambdaExpressionTree || leaf instanceof MemberReferenceTree) {
        return isCompletionCallback(parent, receiver);
      } else if (leaf instanceof MethodTree || leaf instanceof ClassTree) {
        return false;
      }
    }
    return false;
  }

  /**
   * Whether {@code condition} being {@code outcome} implies that the future read by {@code
   * future} is done.
   */
  private static boolean implies(ExpressionTree condition, ExpressionTree future, boolean outcome) {
    ExpressionTree tree = Sources.strip(condition);
    if (tree instanceof UnaryTree unary && unary.getKind() == Tree.Kind.LOGICAL_COMPLEMENT) {
      return implies(unary.getExpression(), future, !outcome);
    }
    if (tree instanceof BinaryTree binary) {
      if (binary.getKind() == Tree.Kind.CONDITIONAL_AND && outcome) {
        return implies(binary.getLeftOperand(), future, true)
            || implies(binary.getRightOperand(), future, true);
      }
      if (binary.getKind() == Tree.Kind.CONDITIONAL_OR && !outcome) {
        return implies(binary.getLeftOperand(), future, false)
            || implies(binary.getRightOperand(), future, false);
      }
      return false;
    }
    if (outcome && tree instanceof MethodInvocationTree invocation) {
      ExpressionTree receiver = ASTHelpers.getReceiver(invocation);
      return DONE_TESTS.contains(Sources.methodName(invocation))
          && receiver != null
          && ASTHelpers.sameVariable(Sources.strip(receiver), Sources.strip(future));
    }
    return false;
  }

  /** Whether a statement before {@code child} in {@code block} leaves unless the future is done. */
  private static boolean exitsUnlessDone(BlockTree block, Tree child, ExpressionTree future) {
    for (StatementTree statement : block.getStatements()) {
      if (Sources.same(statement, child)) {
        return false;
      }
      if (statement instanceof IfTree ifTree
          && ifTree.getElseStatement() == null
          && implies(ifTree.getCondition(), future, false)
          && exits(ifTree.getThenStatement())) {
        return true;
      }
    }
    return false;
  }

  private static boolean exits(StatementTree statement) {
    if (statement instanceof BlockTree block) {
      List<? extends StatementTree> statements = block.getStatements();
      return !statements.isEmpty() && exits(statements.get(statements.size() - 1));
    }
    return statement instanceof ReturnTree
        || statement instanceof ThrowTree
        || statement instanceof ContinueTree
        || statement instanceof BreakTree;
  }

  /**
   * Whether the lambda or method reference at {@code callback} is an argument of a callback that
   * runs only after the future read by {@code future} has completed.
   */
  private static boolean isCompletionCallback(TreePath callback, ExpressionTree future) {
    if (!(callback.getParentPath().getLeaf() instanceof MethodInvocationTree registration)
        || !registration.getArguments().contains(callback.getLeaf())
        || !COMPLETION_CALLBACKS.contains(Sources.methodName(registration))) {
      return false;
    }
    // Futures.addCallback-style statics: the future is an argument, not the receiver.
    for (ExpressionTree argument : registration.getArguments()) {
      if (!Sources.same(argument, callback.getLeaf()) && completes(argument, future)) {
        return true;
      }
    }
    ExpressionTree receiver = ASTHelpers.getReceiver(registration);
    return receiver != null && completes(receiver, future);
  }

  /**
   * Whether {@code expression} is a future (or a chain started from one) that completes only after
   * the future read by {@code future}.
   */
  private static boolean completes(ExpressionTree expression, ExpressionTree future) {
    ExpressionTree current = Sources.strip(expression);
    while (true) {
      if (ASTHelpers.sameVariable(current, Sources.strip(future))) {
        return true;
      }
      if (!(current instanceof MethodInvocationTree invocation)) {
        return false;
      }
      if (ALL_OF.contains(Sources.methodName(invocation))) {
        for (ExpressionTree argument : invocation.getArguments()) {
          if (names(argument, future)) {
            return true;
          }
        }
      }
      ExpressionTree receiver = receiverOf(invocation);
      if (receiver == null) {
        return false;
      }
      current = receiver;
    }
  }

  private static boolean names(ExpressionTree argument, ExpressionTree future) {
    ExpressionTree stripped = Sources.strip(argument);
    if (stripped instanceof NewArrayTree array && array.getInitializers() != null) {
      for (ExpressionTree element : array.getInitializers()) {
        if (ASTHelpers.sameVariable(Sources.strip(element), Sources.strip(future))) {
          return true;
        }
      }
      return false;
    }
    return ASTHelpers.sameVariable(stripped, Sources.strip(future));
  }
}
