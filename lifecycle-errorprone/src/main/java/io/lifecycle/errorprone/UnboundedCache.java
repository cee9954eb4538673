package io.lifecycle.errorprone;

import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;
import static com.google.errorprone.matchers.method.MethodMatchers.instanceMethod;

import com.google.errorprone.BugPattern;
import com.google.errorprone.BugPattern.LinkType;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.matchers.Matchers;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Type;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.inject.Inject;
import javax.lang.model.element.ElementKind;

/**
 * Flags a Caffeine or Guava cache builder chain that reaches {@code build} or {@code buildAsync}
 * without {@code maximumSize} or {@code maximumWeight}.
 *
 * <p>Such a cache evicts nothing by count: weak or soft references and expiry do not bound how many
 * entries it holds between collections or expiries, and in a long-running service the cache grows
 * with its key set.
 *
 * <p>The builder is followed back from the {@code build} call through the chain, through local
 * variables configured over several statements (any {@code maximumSize} or {@code maximumWeight}
 * call on the variable counts, since both builders are mutable), and through the return
 * expressions of methods of the same compilation unit that cannot be overridden. A builder whose
 * origin cannot be seen (a parameter, a field, a method of another class, a spec string, a local
 * that is passed elsewhere) is not reported. When several origins are possible the chain is
 * reported only if all of them are unbounded.
 *
 * <p>A {@code weakKeys}, {@code weakValues} or {@code softValues} cache with no size bound is
 * reported like any other: weak and soft references do not bound the entry count. A project that
 * keys weak caches by {@code Class} or {@code ClassLoader} (at most one entry per live class,
 * dropped when the class is unloaded) can exempt exactly that shape with {@code
 * -XepOpt:UnboundedCache:AllowWeakClassKeys=true}; it is off by default.
 *
 * <p>There is no suggested fix: the right bound is the caller's decision.
 */
@BugPattern(
    summary =
        "Cache built with neither maximumSize nor maximumWeight: its entry count has no bound",
    explanation =
        "A cache with no size or weight bound evicts nothing by count. Weak or soft references"
            + " and expiry do not bound how many entries it holds, so in a long-running service it"
            + " grows with its key set until the heap is exhausted. Add maximumSize(n), or"
            + " maximumWeight(n) with a weigher.",
    severity = WARNING,
    linkType = LinkType.CUSTOM,
    link = Docs.UNBOUNDED_CACHE)
public final class UnboundedCache extends BugChecker implements MethodInvocationTreeMatcher {
  private static final long serialVersionUID = 1L;

  static final String CAFFEINE = "com.github.benmanes.caffeine.cache.Caffeine";
  static final String GUAVA = "com.google.common.cache.CacheBuilder";

  private static final Matcher<ExpressionTree> BUILD =
      Matchers.anyOf(
          instanceMethod().onExactClass(CAFFEINE).namedAnyOf("build", "buildAsync"),
          instanceMethod().onExactClass(GUAVA).named("build"));

  private static final Set<String> BOUNDS = Set.of("maximumSize", "maximumWeight");

  /** The flag that exempts {@code weakKeys()} caches keyed by {@code Class} or {@code ClassLoader}. */
  static final String ALLOW_WEAK_CLASS_KEYS_FLAG = "UnboundedCache:AllowWeakClassKeys";

  /** Whether {@link #ALLOW_WEAK_CLASS_KEYS_FLAG} is set: off by default. */
  private final boolean allowWeakClassKeys;

  /** Creates the check with its defaults. */
  public UnboundedCache() {
    this(ErrorProneFlags.empty());
  }

  /**
   * Creates the check; Error Prone calls this constructor with the {@code -XepOpt} flags.
   *
   * @param flags {@code UnboundedCache:AllowWeakClassKeys} ({@code true} or {@code false}, default
   *     {@code false}): whether a {@code weakKeys()} cache keyed by {@code Class} or {@code
   *     ClassLoader} is exempt
   */
  @Inject
  public UnboundedCache(ErrorProneFlags flags) {
    allowWeakClassKeys = flags.getBoolean(ALLOW_WEAK_CLASS_KEYS_FLAG).orElse(false);
  }

  /** What is known of the size bound of a builder expression. */
  enum Bound {
    BOUNDED,
    UNBOUNDED,
    UNKNOWN;

    /** The bound of an expression that may come from either {@code this} or {@code other}. */
    Bound or(Bound other) {
      if (this == UNKNOWN || other == UNKNOWN) {
        return UNKNOWN;
      }
      return this == other ? this : BOUNDED;
    }
  }

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    if (!BUILD.matches(tree, state)) {
      return Description.NO_MATCH;
    }
    ExpressionTree receiver = ASTHelpers.getReceiver(tree);
    if (receiver == null) {
      return Description.NO_MATCH;
    }
    if ((allowWeakClassKeys && weakClassKeys(tree, receiver))
        || new Origins(state).bound(receiver) != Bound.UNBOUNDED) {
      return Description.NO_MATCH;
    }
    String builder =
        ASTHelpers.enclosingClass(ASTHelpers.getSymbol(tree)).getQualifiedName().contentEquals(GUAVA)
            ? "CacheBuilder"
            : "Caffeine";
    return buildDescription(tree)
        .setMessage(
            "Unbounded cache: this "
                + builder
                + " chain sets neither maximumSize nor maximumWeight, so nothing evicts entries by"
                + " count and the cache grows with its key set; add maximumSize(n), or"
                + " maximumWeight(n) with a weigher (weak/soft references and expiry do not bound"
                + " the count)")
        .build();
  }

  /**
   * Whether the cache holds {@code Class} or {@code ClassLoader} keys weakly: its size is then
   * bounded by the classes alive, and an entry goes when its class is unloaded. Consulted only
   * when {@link #ALLOW_WEAK_CLASS_KEYS_FLAG} is set.
   */
  private static boolean weakClassKeys(MethodInvocationTree build, ExpressionTree receiver) {
    Type cache = ASTHelpers.getType(build);
    if (cache == null || cache.getTypeArguments().isEmpty()) {
      return false;
    }
    Type key = cache.getTypeArguments().get(0);
    if (key.tsym == null
        || !(key.tsym.getQualifiedName().contentEquals("java.lang.Class")
            || key.tsym.getQualifiedName().contentEquals("java.lang.ClassLoader"))) {
      return false;
    }
    for (ExpressionTree current = Sources.strip(receiver);
        current instanceof MethodInvocationTree call;
        current = ASTHelpers.getReceiver(call) == null ? null : Sources.strip(ASTHelpers.getReceiver(call))) {
      if (Sources.methodName(call).equals("weakKeys")) {
        return true;
      }
    }
    return false;
  }

  private static boolean isBuilder(Symbol symbol) {
    Symbol.ClassSymbol owner = ASTHelpers.enclosingClass(symbol);
    if (owner == null) {
      return false;
    }
    String name = owner.getQualifiedName().toString();
    return name.equals(CAFFEINE) || name.equals(GUAVA);
  }

  /** Follows builder expressions back to where they were made; one instance per match. */
  private static final class Origins {
    private final VisitorState state;
    private final Set<Symbol> visiting = new HashSet<>();

    Origins(VisitorState state) {
      this.state = state;
    }

    Bound bound(ExpressionTree expression) {
      ExpressionTree tree = Sources.strip(expression);
      if (tree instanceof MethodInvocationTree invocation) {
        return invocationBound(invocation);
      }
      if (tree instanceof ConditionalExpressionTree conditional) {
        return bound(conditional.getTrueExpression()).or(bound(conditional.getFalseExpression()));
      }
      if (tree instanceof IdentifierTree
          && ASTHelpers.getSymbol(tree) instanceof Symbol.VarSymbol var
          && (var.getKind() == ElementKind.LOCAL_VARIABLE
              || var.getKind() == ElementKind.RESOURCE_VARIABLE)) {
        return localBound(var);
      }
      return Bound.UNKNOWN;
    }

    private Bound invocationBound(MethodInvocationTree invocation) {
      Symbol.MethodSymbol method = ASTHelpers.getSymbol(invocation);
      if (isBuilder(method)) {
        String name = method.getSimpleName().toString();
        if (BOUNDS.contains(name)) {
          return Bound.BOUNDED;
        }
        if (method.isStatic()) {
          // newBuilder() starts from nothing; from(spec) may carry a bound in the spec.
          return name.equals("newBuilder") ? Bound.UNBOUNDED : Bound.UNKNOWN;
        }
        ExpressionTree receiver = ASTHelpers.getReceiver(invocation);
        return receiver == null ? Bound.UNKNOWN : bound(receiver);
      }
      return helperBound(method);
    }

    /** The bound of what a method of this compilation unit returns. */
    private Bound helperBound(Symbol.MethodSymbol method) {
      if (ASTHelpers.methodCanBeOverridden(method) || !visiting.add(method)) {
        return Bound.UNKNOWN;
      }
      try {
        List<ExpressionTree> returned = Sources.returnedValues(state, method);
        if (returned == null) {
          return Bound.UNKNOWN;
        }
        return either(returned);
      } finally {
        visiting.remove(method);
      }
    }

    /**
     * The bound of a local variable: bounded if any statement in its scope bounds it, unknown if it
     * is passed anywhere, else the bound of everything assigned to it.
     */
    private Bound localBound(Symbol.VarSymbol var) {
      if (!visiting.add(var)) {
        return Bound.UNKNOWN;
      }
      try {
        TreePath declaration = Sources.findDeclaration(state, var);
        if (declaration == null) {
          return Bound.UNKNOWN;
        }
        TreePath scope = Sources.localScope(declaration);
        boolean[] boundedByCall = {false};
        boolean[] escapes = {false};
        Sources.forEachReference(
            scope,
            var,
            path -> {
              Tree parent = path.getParentPath().getLeaf();
              if (parent instanceof AssignmentTree assignment
                  && Sources.same(assignment.getVariable(), path.getLeaf())) {
                return;
              }
              if (parent instanceof MemberSelectTree
                  && path.getParentPath().getParentPath().getLeaf()
                      instanceof MethodInvocationTree) {
                if (chainBounds(path.getParentPath().getParentPath())) {
                  boundedByCall[0] = true;
                }
                return;
              }
              escapes[0] = true;
            });
        if (boundedByCall[0]) {
          return Bound.BOUNDED;
        }
        if (escapes[0]) {
          return Bound.UNKNOWN;
        }
        return either(Sources.heldValues(scope, var, (VariableTree) declaration.getLeaf()));
      } finally {
        visiting.remove(var);
      }
    }

    /** Whether the call chain that starts at {@code call} invokes maximumSize or maximumWeight. */
    private static boolean chainBounds(TreePath call) {
      TreePath path = call;
      while (path != null && path.getLeaf() instanceof MethodInvocationTree invocation) {
        Symbol.MethodSymbol method = ASTHelpers.getSymbol(invocation);
        if (isBuilder(method) && BOUNDS.contains(method.getSimpleName().toString())) {
          return true;
        }
        TreePath parent = path.getParentPath();
        if (parent == null || parent.getLeaf() instanceof ExpressionStatementTree
            || !(parent.getLeaf() instanceof MemberSelectTree)) {
          return false;
        }
        path = parent.getParentPath();
      }
      return false;
    }

    private Bound either(List<ExpressionTree> values) {
      if (values.isEmpty()) {
        return Bound.UNKNOWN;
      }
      Bound result = null;
      for (ExpressionTree value : values) {
        Bound bound = bound(value);
        result = result == null ? bound : result.or(bound);
      }
      return result;
    }
  }
}
