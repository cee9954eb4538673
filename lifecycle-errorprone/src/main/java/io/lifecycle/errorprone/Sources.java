package io.lifecycle.errorprone;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.tools.javac.code.Symbol;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Source-level helpers shared by the checks: finding declarations and references inside the
 * compilation unit being analysed, and peeling expressions.
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

  /** The one-based line of {@code tree} in the current compilation unit. */
  static long line(VisitorState state, Tree tree) {
    return state
        .getPath()
        .getCompilationUnit()
        .getLineMap()
        .getLineNumber(ASTHelpers.getStartPosition(tree));
  }
}
