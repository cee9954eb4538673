package io.lifecycle.errorprone;

import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;
import static com.google.errorprone.matchers.method.MethodMatchers.instanceMethod;

import com.google.errorprone.BugPattern;
import com.google.errorprone.BugPattern.LinkType;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
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
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Type;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.ElementKind;
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
 *   <li>{@code io.lifecycle.core.Scope.join()}: {@code join(Duration)}.
 * </ul>
 *
 * <p>Not reported, because the call cannot block or is already bounded:
 *
 * <ul>
 *   <li>{@code get()} or {@code join()} on a future known to be complete: under a condition that
 *       tests its {@code isDone()} (or {@code isCompletedNormally()}, {@code
 *       isCompletedExceptionally()}, {@code isCancelled()}), after an early exit when it is not
 *       done, or inside a completion callback of that future ({@code thenApply}, {@code
 *       whenComplete}, {@code handle}, {@code addListener}, ...), including callbacks of {@code
 *       allOf}, Guava's {@code whenAllComplete}/{@code whenAllSucceed} and {@code thenCombine} that
 *       name it;
 *   <li>{@code join()} or {@code get()} on a {@code CompletableFuture} after {@code orTimeout} or
 *       {@code completeOnTimeout} in the same chain, or on a local variable on which either is
 *       called;
 *   <li>{@code put} on a queue that never blocks an insert: {@code PriorityBlockingQueue}, {@code
 *       DelayQueue}, {@code LinkedTransferQueue}, or a {@code LinkedBlockingQueue}/{@code Deque}
 *       created without a capacity in this compilation unit and never reassigned;
 *   <li>the body of an untimed wait itself: a method that implements one of these waits (a
 *       {@code Future.get()} implementation) or is named like one with at most one parameter (a
 *       class's own {@code join()} or {@code await()}), a wrapper named for the wait applied to its
 *       parameter ({@code getUninterruptibly(Future)}), and a method that takes a timeout ({@code
 *       Duration}, {@code TimeUnit}, a number named like a timeout): their callers choose;
 *   <li>{@code take()} in a loop (a consumer's idle wait), and any wait on a path reached only
 *       from a thread's {@code run()} (it blocks only that thread, which its owner stops by
 *       interrupt) or only from {@code static main} (a launcher waiting for its server);
 *   <li>a test hook: a field marked {@code @VisibleForTesting}, or one that this code only ever
 *       sets to null;
 *   <li>{@code get()} on a future taken from a {@code CompletionService} or a queue of futures;
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
    linkType = LinkType.NONE)
public final class UnboundedWait extends BugChecker implements MethodInvocationTreeMatcher {
  private static final long serialVersionUID = 1L;

  /** A reported call shape and the message that names its bounded alternative. */
  private record Wait(
      String owner, Set<String> names, boolean noParameters, String call, String fix, boolean future) {
    Matcher<ExpressionTree> matcher() {
      var named = instanceMethod().onDescendantOf(owner).namedAnyOf(names);
      return noParameters ? named.withNoParameters() : named;
    }

    /** Whether {@code method} (a declaration) is one of these waits, so its body implements it. */
    boolean declares(Symbol.MethodSymbol method, VisitorState state) {
      Type ownerType = state.getTypeFromString(owner);
      return ownerType != null
          && names.contains(method.getSimpleName().toString())
          && (!noParameters || method.getParameters().isEmpty())
          && ASTHelpers.isSubtype(method.owner.type, ownerType, state);
    }
  }

  private static final List<Wait> WAITS =
      List.of(
          new Wait(
              "java.util.concurrent.Future",
              Set.of("get"),
              true,
              "Future.get()",
              "get(timeout, unit)",
              true),
          new Wait(
              "java.util.concurrent.CompletableFuture",
              Set.of("join"),
              true,
              "CompletableFuture.join()",
              "orTimeout(timeout, unit) before joining, or get(timeout, unit)",
              true),
          new Wait(
              "java.util.concurrent.CountDownLatch",
              Set.of("await"),
              true,
              "CountDownLatch.await()",
              "await(timeout, unit)",
              false),
          new Wait(
              "java.util.concurrent.CyclicBarrier",
              Set.of("await"),
              true,
              "CyclicBarrier.await()",
              "await(timeout, unit)",
              false),
          new Wait(
              "java.util.concurrent.locks.Condition",
              Set.of("await", "awaitUninterruptibly"),
              true,
              "Condition.await()",
              "await(timeout, unit) or awaitNanos(nanos) in the condition loop",
              false),
          new Wait(
              "java.lang.Thread",
              Set.of("join"),
              true,
              "Thread.join()",
              "join(millis) or join(Duration)",
              false),
          new Wait(
              "java.lang.Object",
              Set.of("wait"),
              true,
              "Object.wait()",
              "wait(millis) in the condition loop, with a deadline",
              false),
          new Wait(
              "java.util.concurrent.BlockingQueue",
              Set.of("take"),
              true,
              "BlockingQueue.take()",
              "poll(timeout, unit)",
              false),
          new Wait(
              "java.util.concurrent.BlockingDeque",
              Set.of("takeFirst", "takeLast"),
              true,
              "BlockingDeque.takeFirst()/takeLast()",
              "pollFirst(timeout, unit) or pollLast(timeout, unit)",
              false),
          new Wait(
              "java.util.concurrent.BlockingQueue",
              Set.of("put"),
              false,
              "BlockingQueue.put(e)",
              "offer(e, timeout, unit)",
              false),
          new Wait(
              "java.util.concurrent.BlockingDeque",
              Set.of("putFirst", "putLast"),
              false,
              "BlockingDeque.putFirst(e)/putLast(e)",
              "offerFirst(e, timeout, unit) or offerLast(e, timeout, unit)",
              false),
          new Wait(
              "java.util.concurrent.TransferQueue",
              Set.of("transfer"),
              false,
              "TransferQueue.transfer(e)",
              "tryTransfer(e, timeout, unit)",
              false),
          new Wait(
              "java.util.concurrent.Semaphore",
              Set.of("acquire", "acquireUninterruptibly"),
              false,
              "Semaphore.acquire()",
              "tryAcquire(timeout, unit)",
              false),
          new Wait(
              "io.lifecycle.core.Scope",
              Set.of("join"),
              true,
              "Scope.join()",
              "join(Duration)",
              false));

  /** Every name of {@link #WAITS}. */
  private static final Set<String> WAIT_NAMES =
      WAITS.stream()
          .flatMap(wait -> wait.names().stream())
          .collect(java.util.stream.Collectors.toUnmodifiableSet());

  /** The matchers of {@link #WAITS}, built once. */
  private static final List<Matcher<ExpressionTree>> MATCHERS =
      WAITS.stream().map(Wait::matcher).toList();

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

  /** Creates the check; Error Prone calls this constructor. */
  public UnboundedWait() {}

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    Wait wait = null;
    for (int i = 0; i < WAITS.size(); i++) {
      if (MATCHERS.get(i).matches(tree, state)) {
        wait = WAITS.get(i);
        break;
      }
    }
    if (wait == null || implementsUntimedWait(state)) {
      return Description.NO_MATCH;
    }
    ExpressionTree receiver = ASTHelpers.getReceiver(tree);
    MethodTree enclosing = enclosingMethod(state.getPath());
    if (enclosing != null
        && (takesTimeout(enclosing)
            || wrapsWait(enclosing, wait, receiver)
            || reachedOnlyFrom(enclosing, UnboundedWait::isMain, state, new HashSet<>())
            || reachedOnlyFrom(enclosing, UnboundedWait::isRun, state, new HashSet<>()))) {
      return Description.NO_MATCH;
    }
    if (receiver != null && isTestHook(receiver, state)) {
      return Description.NO_MATCH;
    }
    if (wait.names().contains("take") || wait.names().contains("takeFirst")) {
      if (inLoop(state.getPath())) {
        return Description.NO_MATCH;
      }
    }
    if (wait.call().startsWith("BlockingQueue.put") && putNeverBlocks(receiver, state)) {
      return Description.NO_MATCH;
    }
    if (wait.future() && receiver != null) {
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
   * Whether the call is in the body of a method that is itself one of the untimed waits (such as
   * a {@code BlockingQueue.take()} implementation): its callers are the ones to report.
   */
  private static boolean implementsUntimedWait(VisitorState state) {
    for (Tree tree : state.getPath()) {
      if (tree instanceof LambdaExpressionTree || tree instanceof ClassTree) {
        return false;
      }
      if (tree instanceof MethodTree method) {
        Symbol.MethodSymbol symbol = ASTHelpers.getSymbol(method);
        for (Wait wait : WAITS) {
          if (wait.declares(symbol, state)) {
            return true;
          }
        }
        return false;
      }
    }
    return false;
  }

  /**
   * Whether the waited object is a test hook: a field marked {@code @VisibleForTesting}, or a
   * non-final field that this code never sets to anything but null (so only tests set it).
   */
  private static boolean isTestHook(ExpressionTree receiver, VisitorState state) {
    Symbol.VarSymbol field = Sources.variable(receiver);
    if (field == null || field.getKind() != ElementKind.FIELD) {
      return false;
    }
    if (ASTHelpers.hasDirectAnnotationWithSimpleName(field, "VisibleForTesting")) {
      return true;
    }
    if (field.getModifiers().contains(javax.lang.model.element.Modifier.FINAL)) {
      return false;
    }
    TreePath declaration = Sources.findDeclaration(state, field);
    if (declaration == null) {
      return false;
    }
    List<ExpressionTree> values =
        new java.util.ArrayList<>(
            Sources.assignedValues(new TreePath(state.getPath().getCompilationUnit()), field));
    ExpressionTree initializer = ((VariableTree) declaration.getLeaf()).getInitializer();
    if (initializer != null) {
      values.add(initializer);
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

  /**
   * Whether the method takes a timeout ({@code Duration}, {@code TimeUnit}, a {@code long} or
   * {@code int} named like a timeout, or a {@code timed} flag): it offers a bound, and its untimed
   * path runs only when its caller asks to wait forever.
   */
  private static boolean takesTimeout(MethodTree method) {
    for (VariableTree parameter : method.getParameters()) {
      Type type = ASTHelpers.getType(parameter);
      if (type == null) {
        continue;
      }
      String typeName = type.tsym == null ? "" : type.tsym.getQualifiedName().toString();
      String name = parameter.getName().toString().toLowerCase(java.util.Locale.ROOT);
      if (typeName.equals("java.time.Duration")
          || typeName.equals("java.util.concurrent.TimeUnit")
          || (type.isPrimitive() && TIMEOUT_NAME.matcher(name).find())) {
        return true;
      }
    }
    return false;
  }

  private static final java.util.regex.Pattern TIMEOUT_NAME =
      java.util.regex.Pattern.compile("timeout|nanos|millis|wait|deadline|timed");

  private static boolean isMain(MethodTree method) {
    Symbol.MethodSymbol symbol = ASTHelpers.getSymbol(method);
    return symbol.isStatic()
        && method.getName().contentEquals("main")
        && method.getParameters().size() == 1;
  }

  private static boolean isRun(MethodTree method) {
    return method.getName().contentEquals("run") && method.getParameters().isEmpty();
  }

  /**
   * Whether {@code method} is {@code root}, or is called in this compilation unit, and only from
   * methods that are themselves reached only from a root: the body of {@code main} (a launcher
   * waiting for its server's lifetime) or of a thread's {@code run()} (a worker's idle wait, which
   * its owner ends by interrupt or by a stop flag and a notification).
   */
  private static boolean reachedOnlyFrom(
      MethodTree method,
      java.util.function.Predicate<MethodTree> root,
      VisitorState state,
      Set<Symbol.MethodSymbol> visiting) {
    if (root.test(method)) {
      return true;
    }
    Symbol.MethodSymbol symbol = ASTHelpers.getSymbol(method);
    if (!visiting.add(symbol) || visiting.size() > 8) {
      return false;
    }
    List<TreePath> callers = new java.util.ArrayList<>();
    boolean[] referenced = {false};
    new com.sun.source.util.TreePathScanner<Void, Void>() {
      @Override
      public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
        if (symbol.equals(ASTHelpers.getSymbol(tree))) {
          callers.add(getCurrentPath());
        }
        return super.visitMethodInvocation(tree, null);
      }

      @Override
      public Void visitMemberReference(MemberReferenceTree tree, Void unused) {
        if (symbol.equals(ASTHelpers.getSymbol(tree))) {
          referenced[0] = true;
        }
        return super.visitMemberReference(tree, null);
      }
    }.scan(new TreePath(state.getPath().getCompilationUnit()), null);
    if (callers.isEmpty() || referenced[0]) {
      return false;
    }
    for (TreePath caller : callers) {
      MethodTree enclosing = enclosingMethod(caller);
      if (enclosing == null || !reachedOnlyFrom(enclosing, root, state, visiting)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the method is a wrapper of the same untimed wait (named for it, like {@code
   * getUninterruptibly(Future)} or {@code awaitQuietly(CountDownLatch)}) applied to its own
   * parameter: its callers choose to wait, and are the ones to report.
   */
  private static boolean wrapsWait(
      MethodTree method, Wait wait, @Nullable ExpressionTree receiver) {
    String name = method.getName().toString();
    boolean named = false;
    if (WAIT_NAMES.contains(name) && method.getParameters().size() <= 1) {
      return true; // this class's own untimed wait, such as a join() that joins its thread
    }
    for (String waitName : wait.names()) {
      named |= name.startsWith(waitName);
    }
    if (!named || receiver == null) {
      return false;
    }
    ExpressionTree root = Sources.strip(receiver);
    while (root instanceof MemberSelectTree select) {
      root = Sources.strip(select.getExpression());
    }
    Symbol symbol = ASTHelpers.getSymbol(root);
    return symbol != null && symbol.getKind() == ElementKind.PARAMETER;
  }

  /**
   * Whether {@code path} is inside a loop in its method: a {@code take()} there is the idle wait of
   * a consumer thread, which its owner stops by interrupt or a poison element.
   */
  private static boolean inLoop(TreePath path) {
    for (Tree tree : path) {
      if (tree instanceof LambdaExpressionTree
          || tree instanceof ClassTree
          || tree instanceof MethodTree) {
        return false;
      }
      if (tree instanceof com.sun.source.tree.WhileLoopTree
          || tree instanceof com.sun.source.tree.DoWhileLoopTree
          || tree instanceof com.sun.source.tree.ForLoopTree
          || tree instanceof com.sun.source.tree.EnhancedForLoopTree) {
        return true;
      }
    }
    return false;
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
    TreePath declaration = Sources.findDeclaration(state, var);
    if (declaration == null) {
      return false;
    }
    List<ExpressionTree> values =
        new java.util.ArrayList<>(Sources.assignedValues(Sources.localScope(declaration), var));
    ExpressionTree initializer = ((VariableTree) declaration.getLeaf()).getInitializer();
    if (initializer != null) {
      values.add(initializer);
    }
    boolean any = false;
    for (ExpressionTree value : values) {
      ExpressionTree v = Sources.strip(value);
      if (v.getKind() == Tree.Kind.NULL_LITERAL) {
        continue;
      }
      if (!isQueueRead(v)) {
        return false;
      }
      any = true;
    }
    return any;
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
    TreePath declaration = Sources.findDeclaration(state, var);
    if (declaration == null || !(declaration.getLeaf() instanceof VariableTree variable)) {
      return false;
    }
    TreePath scope =
        var.getKind() == ElementKind.FIELD
            ? new TreePath(state.getPath().getCompilationUnit())
            : Sources.localScope(declaration);
    List<ExpressionTree> values = new java.util.ArrayList<>(Sources.assignedValues(scope, var));
    if (variable.getInitializer() != null) {
      values.add(variable.getInitializer());
    }
    if (values.isEmpty()) {
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
    boolean[] found = {false};
    Sources.forEachReference(
        Sources.localScope(declaration),
        var,
        path -> {
          if (path.getParentPath().getLeaf() instanceof MemberSelectTree select
              && TIMEOUTS.contains(select.getIdentifier().toString())) {
            found[0] = true;
          }
        });
    return found[0];
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
