package io.lifecycle.errorprone;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/**
 * Source-level helpers shared by the checks: finding declarations, references, calls, returns
 * and the values a variable holds inside the compilation unit being analysed, peeling
 * expressions, and two scanner bases ({@link OwnCodeScanner}, {@link Finder}).
 *
 * <p>Error Prone analyses one compilation unit at a time, so every search here is bounded by that
 * unit: a declaration or use in another file is never seen, and the checks treat what they cannot
 * see as unknown (they do not report).
 */
final class Sources {
  private Sources() {}

  /** Returns {@code tree} without enclosing parentheses and casts. */
  static ExpressionTree strip(ExpressionTree tree) {
    ExpressionTree current = tree;
    while (true) {
      if (current instanceof ParenthesizedTree parens) {
        current = parens.getExpression();
      } else if (current instanceof TypeCastTree cast) {
        current = cast.getExpression();
      } else {
        return current;
      }
    }
  }

  /** Whether {@code a} and {@code b} are the same node: trees compare by identity. */
  @SuppressWarnings("ReferenceEquality") // identity is the point: a node, not an equal node
  static boolean same(@Nullable Tree a, @Nullable Tree b) {
    return a == b;
  }

  /** Whether {@code tree} is {@code this} or {@code Outer.this}. */
  static boolean isThis(ExpressionTree tree) {
    ExpressionTree stripped = strip(tree);
    if (stripped instanceof IdentifierTree id) {
      return id.getName().contentEquals("this");
    }
    return stripped instanceof MemberSelectTree select
        && select.getIdentifier().contentEquals("this");
  }

  /** The name of the invoked method, or the empty string for an unusual method select. */
  static String methodName(MethodInvocationTree invocation) {
    ExpressionTree select = invocation.getMethodSelect();
    if (select instanceof MemberSelectTree member) {
      return member.getIdentifier().toString();
    }
    if (select instanceof IdentifierTree id) {
      return id.getName().toString();
    }
    return "";
  }

  /**
   * The variable symbol that {@code tree} reads when it is a plain name or a field select
   * ({@code x}, {@code this.x}, {@code Owner.X}), else null.
   */
  static Symbol.@Nullable VarSymbol variable(ExpressionTree tree) {
    ExpressionTree stripped = strip(tree);
    if (!(stripped instanceof IdentifierTree) && !(stripped instanceof MemberSelectTree)) {
      return null;
    }
    return ASTHelpers.getSymbol(stripped) instanceof Symbol.VarSymbol var ? var : null;
  }

  /** Whether {@code tree} reads exactly {@code symbol}. */
  static boolean reads(ExpressionTree tree, Symbol symbol) {
    Symbol.VarSymbol var = variable(tree);
    return var != null && var.equals(symbol);
  }

  /** The path of the declaration of {@code symbol} in the current compilation unit, or null. */
  static @Nullable TreePath findDeclaration(VisitorState state, Symbol symbol) {
    CompilationUnitTree unit = state.getPath().getCompilationUnit();
    TreePath[] found = new TreePath[1];
    new TreePathScanner<Void, Void>() {
      @Override
      public Void scan(Tree tree, Void unused) {
        if (found[0] != null || tree == null) {
          return null;
        }
        if ((tree instanceof VariableTree
                || tree instanceof MethodTree
                || tree instanceof ClassTree)
            && symbol.equals(ASTHelpers.getSymbol(tree))) {
          found[0] = new TreePath(getCurrentPath(), tree);
          return null;
        }
        return super.scan(tree, null);
      }
    }.scan(new TreePath(unit), null);
    return found[0];
  }

  /** The declaration of {@code method} in the current compilation unit, or null. */
  static @Nullable MethodTree findMethod(VisitorState state, Symbol.MethodSymbol method) {
    TreePath path = findDeclaration(state, method);
    return path == null ? null : (MethodTree) path.getLeaf();
  }

  /**
   * The path of the tree that bounds the lifetime of a local variable declared at {@code
   * declaration}: the nearest enclosing method, lambda or class body.
   */
  static TreePath localScope(TreePath declaration) {
    for (TreePath path = declaration.getParentPath(); path != null; path = path.getParentPath()) {
      Tree leaf = path.getLeaf();
      if (leaf instanceof MethodTree || leaf instanceof LambdaExpressionTree
          || leaf instanceof ClassTree) {
        return path;
      }
    }
    return new TreePath(declaration.getCompilationUnit());
  }

  /** Calls {@code visitor} with the path of every identifier or select in {@code root} that reads {@code symbol}. */
  static void forEachReference(TreePath root, Symbol symbol, Consumer<TreePath> visitor) {
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree tree, Void unused) {
        if (symbol.equals(ASTHelpers.getSymbol(tree))) {
          visitor.accept(getCurrentPath());
        }
        return null;
      }

      @Override
      public Void visitMemberSelect(MemberSelectTree tree, Void unused) {
        if (symbol.equals(ASTHelpers.getSymbol(tree))) {
          visitor.accept(getCurrentPath());
          return null;
        }
        return super.visitMemberSelect(tree, null);
      }
    }.scan(root, null);
  }

  /**
   * Whether code in {@code root} selects a member named in {@code members} on a read of {@code
   * symbol}: {@code var.close()} for {@code "close"}.
   */
  static boolean selectsMember(TreePath root, Symbol symbol, Set<String> members) {
    boolean[] found = {false};
    forEachReference(
        root,
        symbol,
        path -> {
          if (path.getParentPath().getLeaf() instanceof MemberSelectTree select
              && members.contains(select.getIdentifier().toString())) {
            found[0] = true;
          }
        });
    return found[0];
  }

  /**
   * How the current compilation unit uses a method: the path of each invocation of it, in source
   * order, and whether a method reference names it (then it may be called from anywhere).
   */
  record MethodUses(List<TreePath> calls, boolean referenced) {}

  /** The uses of {@code method} in the current compilation unit. */
  static MethodUses uses(VisitorState state, Symbol.MethodSymbol method) {
    List<TreePath> calls = new ArrayList<>();
    boolean[] referenced = {false};
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
        if (method.equals(ASTHelpers.getSymbol(tree))) {
          calls.add(getCurrentPath());
        }
        return super.visitMethodInvocation(tree, null);
      }

      @Override
      public Void visitMemberReference(MemberReferenceTree tree, Void unused) {
        if (method.equals(ASTHelpers.getSymbol(tree))) {
          referenced[0] = true;
        }
        return super.visitMemberReference(tree, null);
      }
    }.scan(new TreePath(state.getPath().getCompilationUnit()), null);
    return new MethodUses(calls, referenced[0]);
  }

  /** The values assigned to {@code symbol} in {@code root} by plain assignments. */
  static List<ExpressionTree> assignedValues(TreePath root, Symbol symbol) {
    List<ExpressionTree> values = new ArrayList<>();
    forEachReference(
        root,
        symbol,
        path -> {
          if (path.getParentPath().getLeaf() instanceof AssignmentTree assignment
              && same(assignment.getVariable(), path.getLeaf())) {
            values.add(assignment.getExpression());
          }
        });
    return values;
  }

  /**
   * A scanner that stays in the code it is given: it does not enter nested lambdas or class bodies
   * (anonymous, local or member classes), whose code runs at another time and whose returns and
   * locals are their own.
   */
  abstract static class OwnCodeScanner<R, P> extends TreeScanner<R, P> {
    @Override
    public @Nullable R visitLambdaExpression(LambdaExpressionTree tree, P p) {
      return null;
    }

    @Override
    public @Nullable R visitClass(ClassTree tree, P p) {
      return null;
    }
  }

  /**
   * A scanner that asks whether a tree contains something: a visit returns true where it finds
   * it, and results combine by "or". Subclasses override the visits that can find it, calling
   * {@code super} where the search goes on below that node.
   */
  abstract static class Finder extends TreeScanner<Boolean, Void> {
    @Override
    public final Boolean reduce(@Nullable Boolean a, @Nullable Boolean b) {
      return Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b);
    }

    /** Whether this finds what it looks for anywhere in {@code tree}. */
    final boolean foundIn(Tree tree) {
      return Boolean.TRUE.equals(tree.accept(this, null));
    }
  }

  /**
   * Calls {@code visitor} with each {@code return} statement of {@code tree}, in source order,
   * leaving out those of nested lambdas and classes (see {@link OwnCodeScanner}).
   */
  static void forEachReturn(Tree tree, Consumer<ReturnTree> visitor) {
    tree.accept(
        new OwnCodeScanner<Void, Void>() {
          @Override
          public Void visitReturn(ReturnTree ret, Void unused) {
            visitor.accept(ret);
            return null;
          }
        },
        null);
  }

  /**
   * The expressions that {@code method} returns, from its declaration in the current compilation
   * unit (not those of lambdas and classes nested in it); null when the declaration or its body
   * is not visible here.
   */
  static @Nullable List<ExpressionTree> returnedValues(
      VisitorState state, Symbol.MethodSymbol method) {
    MethodTree declaration = findMethod(state, method);
    if (declaration == null || declaration.getBody() == null) {
      return null;
    }
    List<ExpressionTree> returned = new ArrayList<>();
    forEachReturn(
        declaration.getBody(),
        ret -> {
          if (ret.getExpression() != null) {
            returned.add(ret.getExpression());
          }
        });
    return returned;
  }

  /**
   * The values that the variable {@code var}, declared by {@code declaration}, holds as far as
   * {@code root} shows: each value a plain assignment in {@code root} gives it, in source order,
   * then its initialiser if it has one.
   */
  static List<ExpressionTree> heldValues(
      TreePath root, Symbol.VarSymbol var, VariableTree declaration) {
    List<ExpressionTree> values = new ArrayList<>(assignedValues(root, var));
    if (declaration.getInitializer() != null) {
      values.add(declaration.getInitializer());
    }
    return values;
  }

  /**
   * The values that {@code var} holds (see {@link #heldValues(TreePath, Symbol.VarSymbol,
   * VariableTree)}), searched in its {@link #assignmentScope}; null when its declaration is not in
   * this compilation unit.
   */
  static @Nullable List<ExpressionTree> heldValues(VisitorState state, Symbol.VarSymbol var) {
    TreePath declaration = findDeclaration(state, var);
    if (declaration == null || !(declaration.getLeaf() instanceof VariableTree variable)) {
      return null;
    }
    return heldValues(assignmentScope(declaration, var), var, variable);
  }

  /**
   * Where the variable {@code var}, declared at {@code declaration}, can be assigned: the whole
   * compilation unit for a field, the {@link #localScope} for a local variable or parameter.
   */
  static TreePath assignmentScope(TreePath declaration, Symbol.VarSymbol var) {
    return var.getKind() == ElementKind.FIELD
        ? new TreePath(declaration.getCompilationUnit())
        : localScope(declaration);
  }

  /**
   * Whether every value in {@code values} other than a {@code null} literal passes {@code test},
   * and there is at least one such value. Values are tested in order, until one fails.
   */
  static boolean allNonNull(List<ExpressionTree> values, Predicate<ExpressionTree> test) {
    boolean any = false;
    for (ExpressionTree value : values) {
      if (strip(value).getKind() == Tree.Kind.NULL_LITERAL) {
        continue;
      }
      if (!test.test(value)) {
        return false;
      }
      any = true;
    }
    return any;
  }

  /** The one-based line of {@code tree} in the current compilation unit. */
  static long line(VisitorState state, Tree tree) {
    return state
        .getPath()
        .getCompilationUnit()
        .getLineMap()
        .getLineNumber(ASTHelpers.getStartPosition(tree));
  }
}
