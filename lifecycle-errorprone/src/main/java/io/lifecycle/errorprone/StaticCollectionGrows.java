package io.lifecycle.errorprone;

import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.errorprone.BugPattern;
import com.google.errorprone.BugPattern.LinkType;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.VariableTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.InstanceOfTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.SynchronizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import org.jspecify.annotations.Nullable;

/**
 * Flags a private static field of a mutable {@code Map}, {@code Collection}, Guava {@code
 * Multimap} or {@code Table} type that is added to outside static initialisation and is never
 * removed from, cleared or replaced in its compilation unit.
 *
 * <p>Everything put into such a field stays reachable for as long as its class is loaded: in a
 * long-running service that is the process lifetime (and with a class-keyed map, the lifetime of
 * every class loader it names).
 *
 * <p>Growth is {@code add}, {@code put}, {@code computeIfAbsent}, {@code merge}, {@code offer},
 * {@code push} and their siblings on the field, on a view of it (a Multimap's {@code get(key)}),
 * or on a local alias of either; {@code Collections.addAll(field, ...)}; a method reference such
 * as {@code field::add}. Growth inside a static initialiser, a static field initialiser, a
 * private method called only from those, or a registration method that the class itself calls
 * from its static initialiser (a table of the class's own vocabulary, filled at start-up) does not
 * count. Nor does memoising a lookup keyed by a value type ({@code String}, a boxed primitive, an
 * enum, a {@code Class}): {@code computeIfAbsent(key, ...)} or a {@code put(key, ...)} after
 * looking the same key up; such a table is bounded by the vocabulary of its keys, and an unbounded
 * memo is better written, and checked, as a cache ({@code UnboundedCache}).
 *
 * <p>Not reported:
 *
 * <ul>
 *   <li>a field that is drained anywhere in the compilation unit: any {@code remove*}, {@code
 *       poll*}, {@code pop}, {@code clear}, {@code retainAll}, {@code take}, {@code drainTo},
 *       {@code computeIfPresent} or a {@code compute}/{@code merge} whose function can return
 *       {@code null}, on the field, on one of its views ({@code keySet()}, {@code entrySet()},
 *       {@code values()}, {@code iterator()}, sub-maps, ...) or on a local alias ({@code it.remove()}
 *       on an iterator over it); or reassignment of the field outside static initialisation;
 *   <li>a field that escapes, and so may be drained elsewhere: passed to a method or constructor
 *       other than a read-only copy or wrapper ({@code new ArrayList<>(field)}, {@code
 *       Collections.unmodifiableMap(field)}, {@code List.copyOf(field)}, ...), returned, or stored
 *       in another field;
 *   <li>a field that is not private (another class may drain it);
 *   <li>immutable or bounded collections: Guava's {@code Immutable*}, {@code EnumMap}, {@code
 *       EnumSet}, sets and map key sets of an enum or {@code Boolean}, {@code WeakHashMap}, {@code
 *       ArrayBlockingQueue}, a {@code LinkedBlockingQueue} with a capacity, Guava's {@code
 *       EvictingQueue}, a {@code LinkedHashMap} that overrides {@code removeEldestEntry}, the
 *       {@code asMap()} view of a Caffeine or Guava cache (see {@code UnboundedCache}), and fields
 *       initialised by {@code List.of}, {@code Collections.unmodifiable*} and the like.
 * </ul>
 */
@BugPattern(
    summary = "Static collection is added to but never removed from",
    explanation =
        "A static field lives as long as its class is loaded. A collection in one that is added"
            + " to and never removed from or cleared grows for the life of the process, keeping"
            + " every entry reachable. Remove entries when they are done, bound the collection, or"
            + " make it an instance field with an owner that is closed.",
    severity = WARNING,
    linkType = LinkType.NONE)
public final class StaticCollectionGrows extends BugChecker implements VariableTreeMatcher {
  private static final long serialVersionUID = 1L;

  private static final List<String> GROWABLE =
      List.of(
          "java.util.Map",
          "java.util.Collection",
          "com.google.common.collect.Multimap",
          "com.google.common.collect.Table");

  private static final List<String> BOUNDED_TYPES =
      List.of(
          "com.google.common.collect.ImmutableCollection",
          "com.google.common.collect.ImmutableMap",
          "com.google.common.collect.ImmutableMultimap",
          "com.google.common.collect.ImmutableTable",
          "com.google.common.collect.EvictingQueue",
          "java.util.EnumMap",
          "java.util.EnumSet",
          "java.util.WeakHashMap",
          "java.util.concurrent.ArrayBlockingQueue");

  private static final Set<String> GROW =
      Set.of(
          "add", "addAll", "put", "putAll", "putIfAbsent", "computeIfAbsent", "compute", "merge",
          "offer", "offerFirst", "offerLast", "push", "addFirst", "addLast", "addElement",
          "insertElementAt", "setCount");

  /** Growth methods that also remove the entry when their function returns null. */
  private static final Set<String> REMAPPING = Set.of("compute", "merge");

  private static final List<String> DRAIN_PREFIXES =
      List.of("remove", "poll", "pop", "clear", "drain", "retain", "take");

  private static final Set<String> VIEWS =
      Set.of(
          "keySet", "values", "entrySet", "iterator", "listIterator", "descendingIterator",
          "descendingMap", "descendingKeySet", "descendingSet", "navigableKeySet", "headMap",
          "tailMap", "subMap", "headSet", "tailSet", "subList", "asMap", "keys", "entries",
          "elementSet", "rowMap", "columnMap", "row", "column", "cellSet",
          "rowKeySet", "columnKeySet", "reversed", "sequencedKeySet", "sequencedValues",
          "sequencedEntrySet");

  /** Static methods that only read or copy a collection argument. */
  private static final Set<String> READ_ONLY_STATICS =
      Set.of(
          "unmodifiableCollection", "unmodifiableList", "unmodifiableSet", "unmodifiableMap",
          "unmodifiableSortedMap", "unmodifiableSortedSet", "unmodifiableNavigableMap",
          "unmodifiableNavigableSet", "unmodifiableSequencedCollection",
          "unmodifiableSequencedSet", "unmodifiableSequencedMap", "unmodifiableMultimap",
          "unmodifiableListMultimap", "unmodifiableSetMultimap", "unmodifiableTable", "copyOf",
          "valueOf", "toString", "hash", "hashCode", "equals", "isNull", "nonNull",
          "requireNonNull", "frequency", "disjoint", "max", "min", "binarySearch", "toArray",
          "format", "join", "isEmpty", "size");

  /** Initialiser factories whose result cannot grow. */
  private static final Set<String> IMMUTABLE_FACTORIES =
      Set.of(
          "of", "copyOf", "ofEntries", "emptyList", "emptySet", "emptyMap", "emptySortedSet",
          "emptySortedMap", "emptyNavigableSet", "emptyNavigableMap", "singleton",
          "singletonList", "singletonMap", "nCopies", "unmodifiableCollection",
          "unmodifiableList", "unmodifiableSet", "unmodifiableMap", "unmodifiableSortedMap",
          "unmodifiableSortedSet", "unmodifiableNavigableMap", "unmodifiableNavigableSet",
          "unmodifiableMultimap", "unmodifiableListMultimap", "unmodifiableSetMultimap",
          "unmodifiableTable", "asList", "create");

  /** Wrappers whose growth is the growth of their argument. */
  private static final Set<String> WRAPPERS =
      Set.of(
          "synchronizedCollection", "synchronizedList", "synchronizedSet", "synchronizedMap",
          "synchronizedSortedMap", "synchronizedSortedSet", "synchronizedNavigableMap",
          "synchronizedNavigableSet", "synchronizedMultimap", "synchronizedListMultimap",
          "synchronizedSetMultimap", "synchronizedTable", "newSetFromMap", "checkedCollection",
          "checkedList", "checkedSet", "checkedMap", "checkedQueue");

  private static final Set<String> CACHE_TYPES =
      Set.of(
          "com.github.benmanes.caffeine.cache.Caffeine",
          "com.github.benmanes.caffeine.cache.Cache",
          "com.github.benmanes.caffeine.cache.AsyncCache",
          "com.google.common.cache.CacheBuilder",
          "com.google.common.cache.Cache");

  private static final Supplier<Type> MULTIMAP =
      VisitorState.memoize(state -> state.getTypeFromString("com.google.common.collect.Multimap"));

  /** Creates the check; Error Prone calls this constructor. */
  public StaticCollectionGrows() {}

  @Override
  public Description matchVariable(VariableTree tree, VisitorState state) {
    Symbol.VarSymbol field = ASTHelpers.getSymbol(tree);
    if (field.getKind() != ElementKind.FIELD
        || !field.isStatic()
        || !ASTHelpers.isEffectivelyPrivate(field)
        || !isGrowable(field.type, state)
        || isBounded(field.type, state)) {
      return Description.NO_MATCH;
    }
    TreePath unit = new TreePath(state.getPath().getCompilationUnit());
    List<ExpressionTree> values = new ArrayList<>(Sources.assignedValues(unit, field));
    if (tree.getInitializer() != null) {
      values.add(tree.getInitializer());
    }
    for (ExpressionTree value : values) {
      if (boundedInitializer(value, state)) {
        return Description.NO_MATCH;
      }
    }
    Uses uses = new Uses(state);
    uses.analyse(unit, field, true);
    if (uses.drained || uses.escapes || uses.growth == null) {
      return Description.NO_MATCH;
    }
    return buildDescription(tree)
        .setMessage(
            "Static collection grows: "
                + field.getSimpleName()
                + " is added to (line "
                + Sources.line(state, uses.growth)
                + ") but never removed from or cleared in this class, so every entry stays"
                + " reachable for as long as the class is loaded; remove entries when they are"
                + " done, bound it (a cache with maximumSize), or make it an instance field with"
                + " an owner that is closed")
        .build();
  }

  // ---------------------------------------------------------------------------------------------
  // Types and initialisers
  // ---------------------------------------------------------------------------------------------

  private static boolean isGrowable(Type type, VisitorState state) {
    for (String name : GROWABLE) {
      Type growable = state.getTypeFromString(name);
      if (growable != null && ASTHelpers.isSubtype(type, growable, state)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isBounded(@Nullable Type type, VisitorState state) {
    if (type == null) {
      return false;
    }
    for (String name : BOUNDED_TYPES) {
      Type bounded = state.getTypeFromString(name);
      if (bounded != null && ASTHelpers.isSubtype(type, bounded, state)) {
        return true;
      }
    }
    // A set of enum constants, or a map keyed by them, holds at most as many entries as there are
    // constants.
    for (String keyed : List.of("java.util.Map", "java.util.Set")) {
      Type keyedType = state.getTypeFromString(keyed);
      if (keyedType == null) {
        continue;
      }
      Type view = state.getTypes().asSuper(type, keyedType.tsym);
      if (view != null && !view.getTypeArguments().isEmpty()) {
        Type key = view.getTypeArguments().get(0);
        if (key.tsym != null
            && (key.tsym.getKind() == ElementKind.ENUM
                || key.tsym.getQualifiedName().contentEquals("java.lang.Boolean"))) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether an initial value is immutable, bounded or a cache view. */
  private static boolean boundedInitializer(ExpressionTree value, VisitorState state) {
    ExpressionTree tree = Sources.strip(value);
    if (tree instanceof NewClassTree created) {
      if (isBounded(ASTHelpers.getType(created), state)) {
        return true;
      }
      if (created.getClassBody() != null && overridesRemoveEldest(created.getClassBody())) {
        return true;
      }
      String created_ = ASTHelpers.getSymbol(created).owner.getQualifiedName().toString();
      return (created_.equals("java.util.concurrent.LinkedBlockingQueue")
              || created_.equals("java.util.concurrent.LinkedBlockingDeque"))
          && created.getArguments().size() == 1
          && ASTHelpers.getType(created.getArguments().get(0)) != null
          && ASTHelpers.getType(created.getArguments().get(0)).isPrimitive();
    }
    if (tree instanceof MethodInvocationTree invocation) {
      Symbol.MethodSymbol method = ASTHelpers.getSymbol(invocation);
      String name = method.getSimpleName().toString();
      String owner = method.owner.getQualifiedName().toString();
      if (CACHE_TYPES.contains(owner) || chainTouchesCache(invocation)) {
        return true;
      }
      if (method.isStatic() && WRAPPERS.contains(name) && !invocation.getArguments().isEmpty()) {
        return boundedInitializer(invocation.getArguments().get(0), state);
      }
      if (method.isStatic() && IMMUTABLE_FACTORIES.contains(name)) {
        // Guava's mutable factories (Maps.newHashMap, HashMultimap.create, ...) are not
        // immutable: only the JDK's and Guava's Immutable* factories are.
        return (owner.startsWith("java.util.") && !name.equals("create"))
            || owner.startsWith("com.google.common.collect.Immutable")
            || isBounded(ASTHelpers.getType(invocation), state);
      }
      return isBounded(ASTHelpers.getType(invocation), state);
    }
    return false;
  }

  private static boolean chainTouchesCache(MethodInvocationTree invocation) {
    for (ExpressionTree current = invocation;
        current instanceof MethodInvocationTree call;
        current = ASTHelpers.getReceiver(call)) {
      Symbol.MethodSymbol method = ASTHelpers.getSymbol(call);
      if (CACHE_TYPES.contains(method.owner.getQualifiedName().toString())
          || method.getSimpleName().contentEquals("makeMap")) {
        return true;
      }
    }
    return false;
  }

  private static boolean overridesRemoveEldest(ClassTree body) {
    for (Tree member : body.getMembers()) {
      if (member instanceof MethodTree method
          && method.getName().contentEquals("removeEldestEntry")) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------------
  // Uses of the field
  // ---------------------------------------------------------------------------------------------

  /** Classifies every use of a field and of its local aliases; one instance per field. */
  private static final class Uses {
    private final VisitorState state;
    private final Map<Symbol.MethodSymbol, Boolean> initOnly = new HashMap<>();
    private final Set<Symbol.MethodSymbol> deciding = new HashSet<>();
    private final Deque<Symbol.VarSymbol> aliases = new ArrayDeque<>();
    private final Set<Symbol.VarSymbol> seen = new HashSet<>();

    /** The first growth outside static initialisation, if any. */
    @Nullable Tree growth;

    boolean drained;
    boolean escapes;

    Uses(VisitorState state) {
      this.state = state;
    }

    void analyse(TreePath unit, Symbol.VarSymbol field, boolean isField) {
      seen.add(field);
      Sources.forEachReference(unit, field, path -> classify(path, isField));
      while (!aliases.isEmpty() && !drained && !escapes) {
        Symbol.VarSymbol alias = aliases.pop();
        TreePath declaration = Sources.findDeclaration(state, alias);
        if (declaration == null) {
          escapes = true;
          return;
        }
        Sources.forEachReference(Sources.localScope(declaration), alias, path -> classify(path, false));
      }
    }

    /** Classifies the use of the collection (or a view of it) whose expression is at {@code path}. */
    private void classify(TreePath path, boolean isField) {
      TreePath parentPath = path.getParentPath();
      Tree parent = parentPath.getLeaf();
      Tree leaf = path.getLeaf();
      if (parent instanceof AssignmentTree assignment) {
        if (Sources.same(assignment.getVariable(), leaf)) {
          if (isField && !inStaticInit(parentPath)) {
            drained = true; // replaced: the old contents become unreachable
          }
          return;
        }
        escapes = true; // stored in another variable
        return;
      }
      if (parent instanceof MemberSelectTree select
          && parentPath.getParentPath().getLeaf() instanceof MethodInvocationTree invocation
          && Sources.same(invocation.getMethodSelect(), select)) {
        classifyCall(parentPath.getParentPath(), invocation, select);
        return;
      }
      if (parent instanceof MemberReferenceTree reference) {
        String name = reference.getName().toString();
        if (isDrain(name)) {
          drained = true;
        } else if (GROW.contains(name)) {
          grew(reference, parentPath);
        }
        return;
      }
      if (parent instanceof ParenthesizedTree
          || parent instanceof TypeCastTree
          || (parent instanceof ConditionalExpressionTree conditional
              && !Sources.same(conditional.getCondition(), leaf))) {
        classify(parentPath, false);
        return;
      }
      if (parent instanceof VariableTree variable && Sources.same(variable.getInitializer(), leaf)) {
        Symbol.VarSymbol alias = ASTHelpers.getSymbol(variable);
        if (alias.getKind() == ElementKind.LOCAL_VARIABLE
            || alias.getKind() == ElementKind.RESOURCE_VARIABLE) {
          if (seen.add(alias)) {
            aliases.add(alias);
          }
        } else {
          escapes = true;
        }
        return;
      }
      if (parent instanceof MethodInvocationTree invocation && invocation.getArguments().contains(leaf)) {
        classifyArgument(invocation, leaf, parentPath);
        return;
      }
      if (parent instanceof NewClassTree created && created.getArguments().contains(leaf)) {
        String owner = ASTHelpers.getSymbol(created).owner.getQualifiedName().toString();
        if (created.getClassBody() == null
            && (owner.startsWith("java.util.") || owner.startsWith("com.google.common.collect."))) {
          return; // a copy
        }
        escapes = true;
        return;
      }
      if (parent instanceof EnhancedForLoopTree
          || parent instanceof SynchronizedTree
          || parent instanceof BinaryTree
          || parent instanceof UnaryTree
          || parent instanceof InstanceOfTree
          || parent instanceof IfTree
          || parent instanceof ExpressionStatementTree
          || parent instanceof CompoundAssignmentTree
          || parent instanceof MemberSelectTree) {
        return; // read
      }
      escapes = true; // returned, captured in an array, a lambda result, ...
    }

    private void classifyCall(
        TreePath callPath, MethodInvocationTree invocation, MemberSelectTree select) {
      String name = select.getIdentifier().toString();
      if (isDrain(name) || (REMAPPING.contains(name) && mayReturnNull(invocation))) {
        drained = true;
        return;
      }
      if (GROW.contains(name)) {
        if (!isVocabularyMemo(invocation, name, callPath)) {
          grew(invocation, callPath);
        }
        return;
      }
      if (VIEWS.contains(name) || (name.equals("get") && isMultimap(select.getExpression()))) {
        classify(callPath, false); // what is done to a view is done to the collection
      }
      // Anything else reads.
    }

    private void classifyArgument(MethodInvocationTree invocation, Tree leaf, TreePath callPath) {
      Symbol.MethodSymbol method = ASTHelpers.getSymbol(invocation);
      String name = method.getSimpleName().toString();
      String owner = method.owner.getQualifiedName().toString();
      if (owner.equals("java.util.Collections")
          && name.equals("addAll")
          && Sources.same(invocation.getArguments().get(0), leaf)) {
        grew(invocation, callPath);
        return;
      }
      if (method.isStatic() && READ_ONLY_STATICS.contains(name)) {
        return;
      }
      ExpressionTree receiver = ASTHelpers.getReceiver(invocation);
      Type receiverType = receiver == null ? null : ASTHelpers.getType(receiver);
      if (receiverType != null
          && (isGrowable(receiverType, state)
              || receiverType.tsym.getQualifiedName().contentEquals("java.lang.String")
              || receiverType.tsym.getQualifiedName().contentEquals("java.lang.StringBuilder"))
          && (name.startsWith("addAll")
              || name.startsWith("putAll")
              || name.startsWith("containsAll")
              || name.equals("append")
              || name.equals("equals"))) {
        return; // copied into, or compared with, another collection
      }
      escapes = true;
    }

    /**
     * Whether the growth memoises a lookup keyed by a value type ({@code String}, a boxed
     * primitive, an enum or a {@code Class}): {@code computeIfAbsent(key, ...)}, or a {@code
     * put(key, ...)} in a method that first looks the same key up. Such a table is bounded by the
     * vocabulary of its keys (scheme names, permission bits, classes), not by traffic.
     */
    private boolean isVocabularyMemo(MethodInvocationTree invocation, String name, TreePath path) {
      if (invocation.getArguments().isEmpty()
          || !(name.equals("computeIfAbsent") || name.equals("put") || name.equals("putIfAbsent"))) {
        return false;
      }
      ExpressionTree key = invocation.getArguments().get(0);
      if (!isValueType(ASTHelpers.getType(key))) {
        return false;
      }
      if (name.equals("computeIfAbsent")) {
        return true;
      }
      Symbol.VarSymbol keyVariable = Sources.variable(key);
      ExpressionTree table = ASTHelpers.getReceiver(invocation);
      MethodTree method = ASTHelpers.findEnclosingNode(path, MethodTree.class);
      if (keyVariable == null || table == null || method == null || method.getBody() == null) {
        return false;
      }
      Boolean lookedUp =
          method
              .getBody()
              .accept(
                  new TreeScanner<Boolean, Void>() {
                    @Override
                    public Boolean visitMethodInvocation(MethodInvocationTree call, Void unused) {
                      String called = Sources.methodName(call);
                      ExpressionTree receiver = ASTHelpers.getReceiver(call);
                      if ((called.equals("get") || called.equals("containsKey"))
                          && receiver != null
                          && ASTHelpers.sameVariable(
                              Sources.strip(receiver), Sources.strip(table))
                          && call.getArguments().size() == 1
                          && Sources.reads(call.getArguments().get(0), keyVariable)) {
                        return true;
                      }
                      return super.visitMethodInvocation(call, null);
                    }

                    @Override
                    public Boolean reduce(Boolean a, Boolean b) {
                      return Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b);
                    }
                  },
                  null);
      return Boolean.TRUE.equals(lookedUp);
    }

    private boolean isValueType(@Nullable Type type) {
      if (type == null) {
        return false;
      }
      if (type.isPrimitive()) {
        return true;
      }
      if (type.tsym == null) {
        return false;
      }
      if (type.tsym.getKind() == ElementKind.ENUM) {
        return true;
      }
      String name = type.tsym.getQualifiedName().toString();
      return name.equals("java.lang.String")
          || name.equals("java.lang.Class")
          || state.getTypes().unboxedType(type).isPrimitive();
    }

    private void grew(Tree site, TreePath path) {
      if (growth == null && !inStaticInit(path)) {
        growth = site;
      }
    }

    private boolean isMultimap(ExpressionTree receiver) {
      Type type = ASTHelpers.getType(receiver);
      Type multimap = MULTIMAP.get(state);
      return type != null && multimap != null && ASTHelpers.isSubtype(type, multimap, state);
    }

    /** Whether the code at {@code path} runs only while the class is being initialised. */
    private boolean inStaticInit(TreePath path) {
      Tree child = path.getLeaf();
      for (TreePath parent = path.getParentPath();
          parent != null;
          child = parent.getLeaf(), parent = parent.getParentPath()) {
        Tree leaf = parent.getLeaf();
        if (leaf instanceof ClassTree) {
          if (child instanceof BlockTree block) {
            return block.isStatic();
          }
          if (child instanceof VariableTree variable) {
            return variable.getModifiers().getFlags().contains(Modifier.STATIC);
          }
          return false;
        }
        if (leaf instanceof MethodTree method) {
          return isInitOnly(ASTHelpers.getSymbol(method));
        }
      }
      return false;
    }

    /**
     * Whether a method runs only while the class is being initialised: a private method called
     * only from static initialisation, or a registration method (of any visibility) that the
     * class itself calls from its static initialisation to fill its own table.
     */
    private boolean isInitOnly(Symbol.MethodSymbol method) {
      Boolean known = initOnly.get(method);
      if (known != null) {
        return known;
      }
      if (!deciding.add(method)) {
        return false;
      }
      boolean[] calledOnlyFromInit = {true};
      boolean[] calledFromInit = {false};
      boolean[] called = {false};
      new TreePathScanner<Void, Void>() {
        @Override
        public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
          if (method.equals(ASTHelpers.getSymbol(tree))) {
            called[0] = true;
            boolean init = inStaticInit(getCurrentPath());
            calledOnlyFromInit[0] &= init;
            calledFromInit[0] |= init;
          }
          return super.visitMethodInvocation(tree, null);
        }

        @Override
        public Void visitMemberReference(MemberReferenceTree tree, Void unused) {
          if (method.equals(ASTHelpers.getSymbol(tree))) {
            calledOnlyFromInit[0] = false;
          }
          return super.visitMemberReference(tree, null);
        }
      }.scan(new TreePath(state.getPath().getCompilationUnit()), null);
      deciding.remove(method);
      boolean result =
          called[0]
              && ((calledOnlyFromInit[0] && method.getModifiers().contains(Modifier.PRIVATE))
                  || calledFromInit[0]);
      initOnly.put(method, result);
      return result;
    }
  }

  private static boolean isDrain(String name) {
    for (String prefix : DRAIN_PREFIXES) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return name.equals("computeIfPresent");
  }

  /** Whether a remapping function passed to compute or merge can return null (and so remove). */
  private static boolean mayReturnNull(MethodInvocationTree invocation) {
    List<? extends ExpressionTree> arguments = invocation.getArguments();
    if (arguments.isEmpty()) {
      return false;
    }
    ExpressionTree function = arguments.get(arguments.size() - 1);
    if (function instanceof MemberReferenceTree reference) {
      // Integer::sum and the like return a primitive, never null.
      Symbol.MethodSymbol method = ASTHelpers.getSymbol(reference);
      return method == null || !method.getReturnType().isPrimitive();
    }
    if (!(function instanceof LambdaExpressionTree)) {
      return true; // a variable: it may
    }
    Boolean found =
        function.accept(
            new TreeScanner<Boolean, Void>() {
              @Override
              public Boolean visitLiteral(LiteralTree tree, Void unused) {
                return tree.getKind() == Tree.Kind.NULL_LITERAL;
              }

              @Override
              public Boolean reduce(Boolean a, Boolean b) {
                return Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b);
              }
            },
            null);
    return Boolean.TRUE.equals(found);
  }
}
