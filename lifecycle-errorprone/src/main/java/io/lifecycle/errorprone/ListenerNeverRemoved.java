package io.lifecycle.errorprone;

import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.errorprone.BugPattern;
import com.google.errorprone.BugPattern.LinkType;
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
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import org.jspecify.annotations.Nullable;

/**
 * Flags {@code source.addFooListener(listener)} (or {@code addListener}) in a compilation unit
 * that never calls the matching {@code removeFooListener} on a source of a related type.
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
 *       shutdown}, {@code stop}, ...), not what a method of this class or a no-argument getter of
 *       an owned object returns, not a field of an owned object, and not a parameter of a
 *       non-public method to which every caller in the compilation unit passes an owned value (a
 *       source owned by the class dies with it, listeners and all);
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
    linkType = LinkType.NONE)
public final class ListenerNeverRemoved extends BugChecker implements MethodInvocationTreeMatcher {
  private static final long serialVersionUID = 1L;

  private static final Pattern ADD = Pattern.compile("add(\\w*)Listener");

  private static final String SCOPE = "io.lifecycle.core.Scope";
  private static final String LISTENERS = "io.lifecycle.core.Listeners";

  /** Sources whose listeners fire once, on completion, and are then dropped. */
  private static final Set<String> ONE_SHOT =
      Set.of("java.util.concurrent.Future", "java.util.concurrent.CompletionStage");

  /** Creates the check; Error Prone calls this constructor. */
  public ListenerNeverRemoved() {}

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    Symbol.MethodSymbol method = ASTHelpers.getSymbol(tree);
    Matcher name = ADD.matcher(method.getSimpleName());
    if (!name.matches() || method.isStatic() || method.getParameters().isEmpty()) {
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
    String kind = name.group(1);
    String remove = "remove" + kind + "Listener";
    if (!declaresRemove(source, remove, state)
        || keepsHandle(method, state)
        || owned(receiver, state, 0)
        || ownedByScope(tree, state)
        || removedInUnit(source, kind, state)) {
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
      ExpressionTree target = ASTHelpers.getReceiver(call);
      if (target != null && !Sources.isThis(target)) {
        // A component of an owned object, through a getter.
        return call.getArguments().isEmpty() && owned(target, state, depth + 1);
      }
      MethodTree getter = Sources.findMethod(state, ASTHelpers.getSymbol(call));
      if (getter == null || getter.getBody() == null) {
        return false;
      }
      List<ExpressionTree> returned = new ArrayList<>();
      getter
          .getBody()
          .accept(
              new TreeScanner<Void, Void>() {
                @Override
                public Void visitReturn(ReturnTree tree, Void unused) {
                  if (tree.getExpression() != null) {
                    returned.add(tree.getExpression());
                  }
                  return null;
                }

                @Override
                public Void visitLambdaExpression(LambdaExpressionTree tree, Void unused) {
                  return null;
                }

                @Override
                public Void visitClass(ClassTree tree, Void unused) {
                  return null;
                }
              },
              null);
      return allOwned(returned, state, depth);
    }
    Symbol.VarSymbol var = Sources.variable(stripped);
    if (var == null) {
      return false;
    }
    if (stripped instanceof MemberSelectTree select
        && !var.isStatic()
        && !Sources.isThis(select.getExpression())) {
      return owned(select.getExpression(), state, depth + 1); // a component of an owned object
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
    List<ExpressionTree> values = new ArrayList<>();
    ExpressionTree initializer = ((VariableTree) declaration.getLeaf()).getInitializer();
    if (initializer != null) {
      values.add(initializer);
    }
    values.addAll(Sources.assignedValues(scope, var));
    return allOwned(values, state, depth);
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
            Symbol.VarSymbol alias = ASTHelpers.getSymbol(copy);
            Sources.forEachReference(
                Sources.localScope(path.getParentPath()),
                alias,
                aliasPath -> {
                  if (aliasPath.getParentPath().getLeaf() instanceof MemberSelectTree select
                      && CLOSERS.contains(select.getIdentifier().toString())) {
                    closed[0] = true;
                  }
                });
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
    boolean any = false;
    for (ExpressionTree value : values) {
      if (Sources.strip(value).getKind() == Tree.Kind.NULL_LITERAL) {
        continue;
      }
      if (!owned(value, state, depth + 1)) {
        return false;
      }
      any = true;
    }
    return any;
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
  private static boolean removedInUnit(Type source, String kind, VisitorState state) {
    Set<String> removals =
        Set.of(
            "remove" + kind + "Listener",
            "remove" + kind + "Listeners",
            "removeAll" + kind + "Listeners",
            "clear" + kind + "Listeners");
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
