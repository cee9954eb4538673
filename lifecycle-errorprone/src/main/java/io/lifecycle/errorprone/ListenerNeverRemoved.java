package io.lifecycle.errorprone;

import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.common.collect.ImmutableMap;
import com.google.errorprone.BugPattern;
import com.google.errorprone.BugPattern.LinkType;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.inject.Inject;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.type.TypeKind;
import org.jspecify.annotations.Nullable;

/**
 * Flags {@code source.addFooListener(listener)} (or {@code addListener}, or an {@code add} method
 * of a pair named by {@code -XepOpt:ListenerNeverRemoved:Pairs=subscribe:unsubscribe,...}) in a
 * compilation unit that never calls the matching {@code removeFooListener} on a source of a
 * related type.
 *
 * <p>A source that outlives its listeners keeps every listener, and everything each one captures,
 * reachable: a long-lived signal object ends up holding the state of every session that ever
 * subscribed to it.
 *
 * <p>Reported only when all of these hold:
 *
 * <ul>
 *   <li>the source's type (or a supertype) declares an instance method named {@code
 *       removeFooListener}: an API with no way to remove (Guava's {@code
 *       ListenableFuture.addListener}) is not reported;
 *   <li>the source is not a future or completion stage (their listeners run once and are
 *       dropped);
 *   <li>the source is not this object and is not owned by this code: not {@code new
 *       Source().addFooListener(...)}, not a local variable or a private or final field only ever
 *       assigned owned values, not a variable that this code closes ({@code close}, {@code
 *       shutdown}, {@code stop}, ...), not what a method of this class that cannot be overridden
 *       returns when that is owned (an overridable factory is unknown, as in {@code
 *       UnboundedCache}), not what a no-argument getter of an owned object returns or a field of
 *       an owned object holds when that object made it: the getter or field is seen to hold only
 *       {@code new} objects, or nothing the object was given (no argument of its creation, nor of
 *       a method later called on it) has a type related to the component's. {@code new
 *       Call(sharedRoom).room()} may return the shared room, and is not owned;
 *       and not a parameter of a non-public method to which every caller in the compilation unit
 *       passes an owned value (a source owned by the class dies with it, listeners and all);
 *   <li>the value returned by the add method, when it is an object (a registration handle), is
 *       discarded;
 *   <li>no call to {@code removeFooListener}, {@code removeFooListeners}, {@code
 *       removeAllFooListeners} or {@code clearFooListeners}, and no method reference to one, has a
 *       receiver whose type is a subtype or supertype of the source's, anywhere in the compilation
 *       unit (removal in another method or through {@code scope.onClose(() -> src.remove...)} or
 *       {@code scope.own(listener, src::remove...)} counts);
 *   <li>the listener is not owned by a lifecycle scope: it is not the result of {@code
 *       Scope.own(...)} and is not passed to {@code Scope.own} or {@code Listeners.add} anywhere
 *       in the compilation unit.
 * </ul>
 */
@BugPattern(
    summary = "Listener added to a longer-lived source and never removed",
    explanation =
        "An event source keeps every listener registered with it, and everything each listener"
            + " captures, reachable. When the source outlives the listener, remove the listener"
            + " when its owner is done, for example with scope.own(listener,"
            + " source::removeFooListener).",
    severity = WARNING,
    linkType = LinkType.CUSTOM,
    link = Docs.LISTENER_NEVER_REMOVED)
public final class ListenerNeverRemoved extends BugChecker implements MethodInvocationTreeMatcher {
  private static final long serialVersionUID = 1L;

  private static final Pattern ADD = Pattern.compile("add(\\w*)Listener");

  private static final String SCOPE = "io.lifecycle.core.Scope";
  private static final String LISTENERS = "io.lifecycle.core.Listeners";

  /** Sources whose listeners fire once, on completion, and are then dropped. */
  private static final Set<String> ONE_SHOT =
      Set.of("java.util.concurrent.Future", "java.util.concurrent.CompletionStage");

  /** The flag that lists more add/remove method pairs, as {@code add:remove}. */
  static final String PAIRS_FLAG = "ListenerNeverRemoved:Pairs";

  /** Extra add method names, each with its remove method, from {@link #PAIRS_FLAG}. */
  private final ImmutableMap<String, String> extraPairs;

  /** Creates the check with only the {@code addFooListener}/{@code removeFooListener} pairs. */
  public ListenerNeverRemoved() {
    this(ErrorProneFlags.empty());
  }

  /**
   * Creates the check; Error Prone calls this constructor with the {@code -XepOpt} flags.
   *
   * @param flags {@code ListenerNeverRemoved:Pairs}: a comma-separated list of {@code add:remove}
   *     method names, such as {@code subscribe:unsubscribe}, checked like {@code addFooListener}
   *     and {@code removeFooListener}
   * @throws IllegalArgumentException if an entry is not two method names joined by a colon
   */
  @Inject
  public ListenerNeverRemoved(ErrorProneFlags flags) {
    ImmutableMap.Builder<String, String> pairs = ImmutableMap.builder();
    for (String entry : flags.getListOrEmpty(PAIRS_FLAG)) {
      String[] names = entry.strip().split(":", -1);
      if (names.length != 2
          || !SourceVersion.isIdentifier(names[0])
          || !SourceVersion.isIdentifier(names[1])) {
        throw new IllegalArgumentException(
            "-XepOpt:" + PAIRS_FLAG + " entries must be add:remove method names: " + entry);
      }
      pairs.put(names[0], names[1]);
    }
    extraPairs = pairs.buildKeepingLast();
  }

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    Symbol.MethodSymbol method = ASTHelpers.getSymbol(tree);
    String added = method.getSimpleName().toString();
    Matcher name = ADD.matcher(added);
    String remove;
    Set<String> removals;
    if (name.matches()) {
      String kind = name.group(1);
      remove = "remove" + kind + "Listener";
      removals =
          Set.of(
              remove,
              "remove" + kind + "Listeners",
              "removeAll" + kind + "Listeners",
              "clear" + kind + "Listeners");
    } else if (extraPairs.containsKey(added)) {
      remove = extraPairs.get(added);
      removals = Set.of(remove);
    } else {
      return Description.NO_MATCH;
    }
    if (method.isStatic() || method.getParameters().isEmpty()) {
      return Description.NO_MATCH;
    }
    ExpressionTree receiver = ASTHelpers.getReceiver(tree);
    if (receiver == null || Sources.isThis(receiver) || ASTHelpers.isSuper(receiver)) {
      return Description.NO_MATCH;
    }
    Type source = ASTHelpers.getType(receiver);
    if (source == null || isOneShot(source, state)) {
      return Description.NO_MATCH;
    }
    if (!declaresRemove(source, remove, state)
        || keepsHandle(method, state)
        || owned(receiver, state, 0)
        || ownedByScope(tree, state)
        || removedInUnit(source, removals, state)) {
      return Description.NO_MATCH;
    }
    return buildDescription(tree)
        .setMessage(
            "Listener leak: "
                + method.getSimpleName()
                + " registers a listener that this class never removes (no "
                + remove
                + " on a "
                + source.tsym.getSimpleName()
                + "), so the source keeps the listener and everything it captures alive; remove it"
                + " when its owner is done, e.g. scope.own(listener, source::"
                + remove
                + ")")
        .build();
  }

  private static boolean isOneShot(Type source, VisitorState state) {
    for (String name : ONE_SHOT) {
      Type type = state.getTypeFromString(name);
      if (type != null && ASTHelpers.isSubtype(source, type, state)) {
        return true;
      }
    }
    return false;
  }

  private static boolean declaresRemove(Type source, String remove, VisitorState state) {
    return ASTHelpers.matchingMethods(
            state.getName(remove), m -> !m.isStatic(), source, state.getTypes())
        .findAny()
        .isPresent();
  }

  /** Whether the add method returns a handle (an object) that the caller keeps. */
  private static boolean keepsHandle(Symbol.MethodSymbol method, VisitorState state) {
    Type returned = method.getReturnType();
    if (returned.isPrimitiveOrVoid()) {
      return false;
    }
    return !(state.getPath().getParentPath().getLeaf() instanceof ExpressionStatementTree);
  }

  /**
   * Whether the source object is owned by this code, and so dies with it: created here ({@code
   * new}), held in a local variable or a private or final field only ever assigned owned values,
   * or returned by a no-argument getter of this object or of an owned object.
   */
  private static boolean owned(ExpressionTree receiver, VisitorState state, int depth) {
    if (depth > MAX_DEPTH) {
      return false;
    }
    ExpressionTree stripped = Sources.strip(receiver);
    if (stripped instanceof NewClassTree) {
      return true;
    }
    if (stripped instanceof MethodInvocationTree call) {
      Symbol.MethodSymbol method = ASTHelpers.getSymbol(call);
      ExpressionTree target = ASTHelpers.getReceiver(call);
      if (target != null && !Sources.isThis(target)) {
        // A component of an owned object, through a getter: owned only if the object made it.
        return call.getArguments().isEmpty()
            && owned(target, state, depth + 1)
            && (returnsOwnCreation(method, state)
                || !mayHandBack(target, method.getReturnType(), state, depth));
      }
      // A method of this class: what it returns, if no subclass can override it.
      if (ASTHelpers.methodCanBeOverridden(method)) {
        return false;
      }
      List<ExpressionTree> returned = Sources.returnedValues(state, method);
      return returned != null && allOwned(returned, state, depth);
    }
    Symbol.VarSymbol var = Sources.variable(stripped);
    if (var == null) {
      return false;
    }
    if (stripped instanceof MemberSelectTree select
        && !var.isStatic()
        && !Sources.isThis(select.getExpression())) {
      // A field of an owned object: owned only if the object made what it holds.
      return owned(select.getExpression(), state, depth + 1)
          && (createdByItsClass(var, state)
              || !mayHandBack(select.getExpression(), var.type, state, depth));
    }
    if (var.getKind() == ElementKind.PARAMETER) {
      return ownedByEveryCaller(var, state, depth);
    }
    boolean local =
        var.getKind() == ElementKind.LOCAL_VARIABLE
            || var.getKind() == ElementKind.RESOURCE_VARIABLE;
    boolean ownField =
        var.getKind() == ElementKind.FIELD
            && !var.isStatic()
            && (var.getModifiers().contains(Modifier.PRIVATE)
                || var.getModifiers().contains(Modifier.FINAL));
    if (!local && !ownField) {
      return false;
    }
    TreePath declaration = Sources.findDeclaration(state, var);
    if (declaration == null) {
      return false;
    }
    TreePath scope =
        local ? Sources.localScope(declaration) : new TreePath(declaration.getCompilationUnit());
    if (closedIn(scope, var)) {
      return true; // this code closes the source: it owns it
    }
    return allOwned(
        Sources.heldValues(scope, var, (VariableTree) declaration.getLeaf()), state, depth);
  }

  /**
   * Whether a getter of another object returns only what that object created: each return is a
   * {@code new} expression or a field that {@link #createdByItsClass} holds. A getter returning a
   * field set from a constructor parameter ({@code new Call(sharedRoom).room()}) returns something
   * the object was given, which may outlive it.
   */
  private static boolean returnsOwnCreation(Symbol.MethodSymbol getter, VisitorState state) {
    List<ExpressionTree> returned = Sources.returnedValues(state, getter);
    if (returned == null || returned.isEmpty()) {
      return false;
    }
    for (ExpressionTree value : returned) {
      ExpressionTree stripped = Sources.strip(value);
      if (stripped instanceof NewClassTree) {
        continue;
      }
      Symbol.VarSymbol field = Sources.variable(stripped);
      if (field == null
          || field.getKind() != ElementKind.FIELD
          || field.isStatic()
          || !createdByItsClass(field, state)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the object that {@code owner} reads may hand back, as a {@code component} typed
   * value, something it was given: whether any argument of its creation (the {@code new} or the
   * builder chain that made it, and any method later called on the variable holding it) has a
   * type related to {@code component}. {@code new Call(sharedRoom).room()} may return the shared
   * room; {@code new Watcher(client, path).getListenable()} can only return what the watcher
   * made. When the creation cannot be seen, it may.
   */
  private static boolean mayHandBack(
      ExpressionTree owner, Type component, VisitorState state, int depth) {
    List<ExpressionTree> arguments = new ArrayList<>();
    if (!creationArguments(owner, arguments, state, depth)) {
      return true;
    }
    Type wanted = state.getTypes().erasure(component);
    for (ExpressionTree argument : arguments) {
      Type type = ASTHelpers.getType(argument);
      if (type == null || type.isPrimitive() || type.getKind() == TypeKind.NULL) {
        continue;
      }
      Type given = state.getTypes().erasure(type);
      if (ASTHelpers.isSubtype(given, wanted, state) || ASTHelpers.isSubtype(wanted, given, state)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Collects into {@code into} the arguments that went into making the object {@code tree}
   * reads: a {@code new} expression's, every call's in a builder chain, and for a local variable
   * or a field of this class, those of its values and of the methods called on it. Returns false
   * when the making cannot be seen (a parameter, a call on something else).
   */
  private static boolean creationArguments(
      ExpressionTree tree, List<ExpressionTree> into, VisitorState state, int depth) {
    if (depth > MAX_DEPTH) {
      return false;
    }
    ExpressionTree stripped = Sources.strip(tree);
    if (stripped instanceof NewClassTree created) {
      into.addAll(created.getArguments());
      return created.getEnclosingExpression() == null || creationArguments(
          created.getEnclosingExpression(), into, state, depth + 1);
    }
    if (stripped instanceof MethodInvocationTree call) {
      into.addAll(call.getArguments());
      ExpressionTree receiver = ASTHelpers.getReceiver(call);
      if (receiver == null || Sources.isThis(receiver)) {
        return true;
      }
      if (ASTHelpers.getSymbol(receiver) instanceof Symbol.ClassSymbol) {
        return true; // a static factory: its arguments are all it was given
      }
      return creationArguments(receiver, into, state, depth + 1);
    }
    Symbol.VarSymbol var = Sources.variable(stripped);
    if (var == null
        || !(var.getKind() == ElementKind.LOCAL_VARIABLE
            || (var.getKind() == ElementKind.FIELD && !var.isStatic()))) {
      return false;
    }
    TreePath declaration = Sources.findDeclaration(state, var);
    if (declaration == null || !(declaration.getLeaf() instanceof VariableTree variable)) {
      return false;
    }
    TreePath scope = Sources.assignmentScope(declaration, var);
    List<ExpressionTree> values = Sources.heldValues(scope, var, variable);
    for (ExpressionTree value : values) {
      if (Sources.strip(value).getKind() != Tree.Kind.NULL_LITERAL
          && !creationArguments(value, into, state, depth + 1)) {
        return false;
      }
    }
    // What was handed to it later: builder.setExecutor(e), call.setRoom(room).
    Sources.forEachReference(
        scope,
        var,
        path -> {
          if (path.getParentPath().getLeaf() instanceof MemberSelectTree
              && path.getParentPath().getParentPath().getLeaf()
                  instanceof MethodInvocationTree invocation) {
            into.addAll(invocation.getArguments());
          }
        });
    return !values.isEmpty();
  }

  /**
   * Whether an instance field holds only objects its own class creates: every value assigned to
   * it in the compilation unit (initialiser included) is a {@code new} expression.
   */
  private static boolean createdByItsClass(Symbol.VarSymbol field, VisitorState state) {
    List<ExpressionTree> values = Sources.heldValues(state, field);
    return values != null
        && Sources.allNonNull(values, value -> Sources.strip(value) instanceof NewClassTree);
  }

  private static final Set<String> CLOSERS =
      Set.of("close", "shutdown", "shutdownNow", "stop", "dispose", "destroy");

  /**
   * Whether code under {@code scope} closes {@code var}, directly or through a local variable
   * that copies it.
   */
  private static boolean closedIn(TreePath scope, Symbol.VarSymbol var) {
    boolean[] closed = {false};
    Sources.forEachReference(
        scope,
        var,
        path -> {
          Tree parent = path.getParentPath().getLeaf();
          if (parent instanceof MemberSelectTree select
              && CLOSERS.contains(select.getIdentifier().toString())) {
            closed[0] = true;
          } else if (parent instanceof VariableTree copy
              && Sources.same(copy.getInitializer(), path.getLeaf())
              && !copy.getName().contentEquals(var.getSimpleName())) {
            if (Sources.selectsMember(
                Sources.localScope(path.getParentPath()), ASTHelpers.getSymbol(copy), CLOSERS)) {
              closed[0] = true;
            }
          }
        });
    return closed[0];
  }

  private static final int MAX_DEPTH = 6;

  /**
   * Whether {@code parameter} belongs to a non-public method of this compilation unit that every
   * caller in the unit passes an owned value (and that no method reference exposes).
   */
  private static boolean ownedByEveryCaller(
      Symbol.VarSymbol parameter, VisitorState state, int depth) {
    if (!(parameter.owner instanceof Symbol.MethodSymbol method)
        || method.getModifiers().contains(Modifier.PUBLIC)) {
      return false;
    }
    int index = method.getParameters().indexOf(parameter);
    if (index < 0) {
      return false;
    }
    List<ExpressionTree> arguments = new ArrayList<>();
    boolean[] escapes = {false};
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
        if (method.equals(ASTHelpers.getSymbol(call))) {
          if (call.getArguments().size() == method.getParameters().size()) {
            arguments.add(call.getArguments().get(index));
          } else {
            escapes[0] = true; // varargs: keep it simple
          }
        }
        return super.visitMethodInvocation(call, null);
      }

      @Override
      public Void visitMemberReference(MemberReferenceTree reference, Void unused) {
        escapes[0] |= method.equals(ASTHelpers.getSymbol(reference));
        return super.visitMemberReference(reference, null);
      }
    }.scan(new TreePath(state.getPath().getCompilationUnit()), null);
    return !escapes[0] && allOwned(arguments, state, depth);
  }

  private static boolean allOwned(List<ExpressionTree> values, VisitorState state, int depth) {
    return Sources.allNonNull(values, value -> owned(value, state, depth + 1));
  }

  /** Whether a listener argument is owned by a lifecycle scope. */
  private static boolean ownedByScope(MethodInvocationTree tree, VisitorState state) {
    List<Symbol.VarSymbol> listeners = new ArrayList<>();
    for (ExpressionTree argument : tree.getArguments()) {
      ExpressionTree stripped = Sources.strip(argument);
      if (stripped instanceof MethodInvocationTree invocation && isScopeOwn(invocation, state)) {
        return true;
      }
      Symbol.VarSymbol var = Sources.variable(stripped);
      if (var != null) {
        listeners.add(var);
      }
    }
    if (listeners.isEmpty()) {
      return false;
    }
    boolean[] owned = {false};
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitMethodInvocation(MethodInvocationTree invocation, Void unused) {
        List<? extends ExpressionTree> arguments = invocation.getArguments();
        ExpressionTree ownedArgument = null;
        if (isScopeOwn(invocation, state) && !arguments.isEmpty()) {
          ownedArgument = arguments.get(0);
        } else if (isListenersAdd(invocation, state) && arguments.size() == 2) {
          ownedArgument = arguments.get(1);
        }
        if (ownedArgument != null) {
          for (Symbol.VarSymbol listener : listeners) {
            owned[0] |= Sources.reads(ownedArgument, listener);
          }
        }
        return super.visitMethodInvocation(invocation, null);
      }
    }.scan(new TreePath(state.getPath().getCompilationUnit()), null);
    return owned[0];
  }

  private static boolean isScopeOwn(MethodInvocationTree invocation, VisitorState state) {
    return isCallOn(invocation, SCOPE, "own", state);
  }

  private static boolean isListenersAdd(MethodInvocationTree invocation, VisitorState state) {
    return isCallOn(invocation, LISTENERS, "add", state);
  }

  private static boolean isCallOn(
      MethodInvocationTree invocation, String owner, String name, VisitorState state) {
    Symbol.MethodSymbol method = ASTHelpers.getSymbol(invocation);
    if (!method.getSimpleName().contentEquals(name)) {
      return false;
    }
    Type ownerType = state.getTypeFromString(owner);
    return ownerType != null && ASTHelpers.isSubtype(method.owner.type, ownerType, state);
  }

  /** Whether the compilation unit removes listeners of this kind from a related source. */
  private static boolean removedInUnit(Type source, Set<String> removals, VisitorState state) {
    boolean[] removed = {false};
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitMethodInvocation(MethodInvocationTree invocation, Void unused) {
        if (!removed[0] && removals.contains(Sources.methodName(invocation))) {
          ExpressionTree receiver = ASTHelpers.getReceiver(invocation);
          Type type =
              receiver == null
                  ? enclosingType(getCurrentPath())
                  : ASTHelpers.getType(receiver);
          removed[0] = related(type, source, state);
        }
        return super.visitMethodInvocation(invocation, null);
      }

      @Override
      public Void visitMemberReference(MemberReferenceTree reference, Void unused) {
        if (!removed[0] && removals.contains(reference.getName().toString())) {
          removed[0] = related(ASTHelpers.getType(reference.getQualifierExpression()), source, state);
        }
        return super.visitMemberReference(reference, null);
      }
    }.scan(new TreePath(state.getPath().getCompilationUnit()), null);
    return removed[0];
  }

  private static @Nullable Type enclosingType(TreePath path) {
    ClassTree enclosing = ASTHelpers.findEnclosingNode(path, ClassTree.class);
    return enclosing == null ? null : ASTHelpers.getType(enclosing);
  }

  private static boolean related(@Nullable Type type, Type source, VisitorState state) {
    if (type == null) {
      return false;
    }
    Type a = state.getTypes().erasure(type);
    Type b = state.getTypes().erasure(source);
    return ASTHelpers.isSubtype(a, b, state) || ASTHelpers.isSubtype(b, a, state);
  }
}
