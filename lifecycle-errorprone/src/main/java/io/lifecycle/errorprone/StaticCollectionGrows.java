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
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.ThrowTree;
import com.sun.source.tree.SynchronizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
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
 * Flags a static field, of any visibility, of a mutable {@code Map}, {@code Collection}, Guava
 * {@code Multimap} or {@code Table} type that is added to outside static initialisation and is
 * never removed from, cleared or replaced in its compilation unit.
 *
 * <p>Everything put into such a field stays reachable for as long as its class is loaded: in a
 * long-running service that is the process lifetime (and with a class-keyed map, the lifetime of
 * every class loader it names).
 *
 * <p>Growth is {@code add}, {@code put}, {@code computeIfAbsent}, {@code merge}, {@code offer},
 * {@code push} and their siblings on the field, on a view of it (a Multimap's {@code get(key)}),
 * or on a local alias of either; {@code Collections.addAll(field, ...)}; a method reference such
 * as {@code field::add}. Growth inside a static initialiser, a static field initialiser, or a
 * method that is called only from those (every call in the compilation unit) does not count. Nor
 * does a map key or set element that the source text bounds: a compile-time constant, a class
 * literal or an enum constant. A key computed at run time counts, whatever its type: {@code
 * SESSIONS.computeIfAbsent(sessionId, ...)} is the classic session leak.
 *
 * <p>Not reported:
 *
 * <ul>
 *   <li>a field that is drained anywhere in the compilation unit: any {@code remove*}, {@code
 *       poll*}, {@code pop}, {@code clear}, {@code retainAll}, {@code take} or {@code drainTo}, or
 *       a {@code compute}, {@code merge} or {@code computeIfPresent} whose function can return
 *       {@code null} for a present value, on the field, on one of its views ({@code keySet()},
 *       {@code entrySet()}, {@code values()}, {@code iterator()}, sub-maps, ...) or on a local
 *       alias ({@code it.remove()} on an iterator over it); or reassignment of the field outside
 *       static initialisation;
 *   <li>a field that escapes, and so may be drained elsewhere: passed to a method or constructor
 *       other than a read-only copy or wrapper ({@code new ArrayList<>(field)}, {@code
 *       Collections.unmodifiableMap(field)}, {@code List.copyOf(field)}, ...), returned, or stored
 *       in another variable. A non-private field that other classes drain by name cannot be seen
 *       from here: the finding says so, and is suppressed where that is the design;
 *   <li>immutable or bounded collections: Guava's {@code Immutable*}, {@code EnumMap}, {@code
 *       EnumSet}, sets and map key sets of an enum or {@code Boolean}, {@code WeakHashMap}, {@code
 *       ArrayBlockingQueue}, a {@code LinkedBlockingQueue} with a capacity, Guava's {@code
 *       EvictingQueue}, a {@code LinkedHashMap} (or a subclass of it) that overrides {@code
 *       removeEldestEntry}, the
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
    linkType = LinkType.CUSTOM,
    link = Docs.STATIC_COLLECTION_GROWS)
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

  /** Methods that remove the entry when their function returns null for a present value. */
  private static final Set<String> REMAPPING = Set.of("compute", "merge", "computeIfPresent");

  /** Growth methods whose first argument is a map key, and a set's add. */
  private static final Set<String> KEYED =
      Set.of("put", "putIfAbsent", "computeIfAbsent", "compute", "merge", "add");

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

  private static final Supplier<com.sun.tools.javac.util.Name> REMOVE_ELDEST =
      VisitorState.memoize(state -> state.getName("removeEldestEntry"));

  private static final Supplier<Type> LINKED_HASH_MAP =
      VisitorState.memoize(state -> state.getTypeFromString("java.util.LinkedHashMap"));

  private static final Supplier<Type> SET =
      VisitorState.memoize(state -> state.getTypeFromString("java.util.Set"));

  private static final Supplier<Type> MULTIMAP =
      VisitorState.memoize(state -> state.getTypeFromString("com.google.common.collect.Multimap"));

  /** Creates the check; Error Prone calls this constructor. */
  public StaticCollectionGrows() {}

  @Override
  public Description matchVariable(VariableTree tree, VisitorState state) {
    Symbol.VarSymbol field = ASTHelpers.getSymbol(tree);
    if (field.getKind() != ElementKind.FIELD
        || !field.isStatic()
        || !isGrowable(field.type, state)
        || isBounded(field.type, state)) {
      return Description.NO_MATCH;
    }
    TreePath unit = new TreePath(state.getPath().getCompilationUnit());
    for (ExpressionTree value : Sources.heldValues(unit, field, tree)) {
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
                + " an owner that is closed"
                + (ASTHelpers.isEffectivelyPrivate(field)
                    ? ""
                    : " (if another class drains this non-private field, suppress this here and"
                        + " say where)"))
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
      if (evictsEldest(ASTHelpers.getType(created), state)) {
        return true; // an LRU map class, such as a LinkedHashMap subclass with a size bound
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

  /**
   * Whether {@code type} is a {@code LinkedHashMap} subclass that declares {@code
   * removeEldestEntry} (itself or a superclass below {@code LinkedHashMap}): a map that evicts.
   */
  private static boolean evictsEldest(@Nullable Type type, VisitorState state) {
    Type linked = LINKED_HASH_MAP.get(state);
    if (type == null || linked == null || !ASTHelpers.isSubtype(type, linked, state)) {
      return false;
    }
    for (Type current = type;
        current != null && current.tsym instanceof Symbol.ClassSymbol owner
            && !owner.getQualifiedName().contentEquals("java.util.LinkedHashMap");
        current = owner.getSuperclass()) {
      for (Symbol member : owner.members().getSymbolsByName(REMOVE_ELDEST.get(state))) {
        if (member instanceof Symbol.MethodSymbol) {
          return true;
        }
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
      if (isDrain(name) || (REMAPPING.contains(name) && mayRemove(invocation, name))) {
        drained = true;
        return;
      }
      if (GROW.contains(name)) {
        if (!finiteKey(invocation, name)) {
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
     * Whether the growth can only ever add a finite set of entries: a map keyed, or a set
     * element, that is a compile-time constant, a class literal or an enum constant. The source
     * text bounds such keys. A key computed at run time (a session id, a request, a class
     * object passed in) is not bounded, however small its type looks.
     */
    private boolean finiteKey(MethodInvocationTree invocation, String name) {
      if (invocation.getArguments().isEmpty() || !KEYED.contains(name)) {
        return false;
      }
      if (name.equals("add")) {
        ExpressionTree receiver = ASTHelpers.getReceiver(invocation);
        Type set = SET.get(state);
        Type type = receiver == null ? null : ASTHelpers.getType(receiver);
        if (set == null || type == null || !ASTHelpers.isSubtype(type, set, state)) {
          return false; // a list grows with every add, constant or not
        }
      }
      return isConstant(invocation.getArguments().get(0));
    }

    private static boolean isConstant(ExpressionTree key) {
      ExpressionTree tree = Sources.strip(key);
      if (ASTHelpers.constValue(tree) != null) {
        return true;
      }
      if (tree instanceof MemberSelectTree select && select.getIdentifier().contentEquals("class")) {
        return true;
      }
      Symbol symbol = ASTHelpers.getSymbol(tree);
      return symbol != null && symbol.getKind() == ElementKind.ENUM_CONSTANT;
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
     * Whether a method runs only while the class is being initialised: every call to it in the
     * compilation unit is in static initialisation (there is at least one), and no method
     * reference names it. A method also called on a request path is not, even if static
     * initialisation calls it too.
     */
    private boolean isInitOnly(Symbol.MethodSymbol method) {
      Boolean known = initOnly.get(method);
      if (known != null) {
        return known;
      }
      if (!deciding.add(method)) {
        return false;
      }
      Sources.MethodUses uses = Sources.uses(state, method);
      boolean calledOnlyFromInit = !uses.referenced();
      for (TreePath call : uses.calls()) {
        calledOnlyFromInit &= inStaticInit(call); // &= decides every call: each fills initOnly
      }
      deciding.remove(method);
      boolean result = !uses.calls().isEmpty() && calledOnlyFromInit;
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
    return false;
  }

  /**
   * Whether the remapping function given to {@code compute}, {@code merge} or {@code
   * computeIfPresent} can remove a present entry: whether it can return null when the old value is
   * not null. {@code merge} and {@code computeIfPresent} call it only for a present value, so any
   * {@code null} it returns removes. {@code compute} also calls it for an absent key, with a null
   * old value: a {@code null} returned only where the old value is known to be null ({@code v ==
   * null ? null : ...}, or after {@code if (v != null) return ...;}) adds nothing and removes
   * nothing. A method reference that returns a primitive ({@code Integer::sum}) never returns
   * null; any other method reference, or a function held in a variable, may.
   */
  private static boolean mayRemove(MethodInvocationTree invocation, String name) {
    List<? extends ExpressionTree> arguments = invocation.getArguments();
    if (arguments.isEmpty()) {
      return false;
    }
    ExpressionTree function = Sources.strip(arguments.get(arguments.size() - 1));
    if (function instanceof MemberReferenceTree reference) {
      Symbol.MethodSymbol method = ASTHelpers.getSymbol(reference);
      return method == null || !method.getReturnType().isPrimitive();
    }
    if (!(function instanceof LambdaExpressionTree lambda)) {
      return true; // a variable: it may
    }
    Symbol oldValue =
        name.equals("compute") && lambda.getParameters().size() == 2
            ? ASTHelpers.getSymbol(lambda.getParameters().get(1))
            : null;
    NullResults results = new NullResults(oldValue);
    if (lambda.getBody() instanceof ExpressionTree body) {
      results.expression(body, false);
    } else if (lambda.getBody() instanceof BlockTree block) {
      results.statements(block.getStatements(), false);
    }
    return results.found;
  }

  /**
   * Finds a {@code null} that a lambda returns where its old-value parameter is not known to be
   * null. Only returned {@code null} literals count: a {@code null} in a comparison is not a
   * result, and a returned call is taken not to return null.
   */
  private static final class NullResults {
    private final @Nullable Symbol oldValue;
    boolean found;

    NullResults(@Nullable Symbol oldValue) {
      this.oldValue = oldValue;
    }

    /** A result expression, with whether the old value is known to be null where it runs. */
    void expression(@Nullable ExpressionTree tree, boolean oldIsNull) {
      if (tree == null) {
        return;
      }
      ExpressionTree stripped = Sources.strip(tree);
      if (stripped instanceof ConditionalExpressionTree conditional) {
        expression(
            conditional.getTrueExpression(),
            oldIsNull || impliesNull(conditional.getCondition(), true));
        expression(
            conditional.getFalseExpression(),
            oldIsNull || impliesNull(conditional.getCondition(), false));
      } else if (stripped.getKind() == Tree.Kind.NULL_LITERAL && !oldIsNull) {
        found = true;
      }
    }

    void statements(List<? extends StatementTree> statements, boolean oldIsNull) {
      boolean known = oldIsNull;
      for (StatementTree statement : statements) {
        statement(statement, known);
        if (statement instanceof IfTree ifTree
            && ifTree.getElseStatement() == null
            && exits(ifTree.getThenStatement())) {
          known |= impliesNull(ifTree.getCondition(), false);
        }
      }
    }

    void statement(@Nullable StatementTree statement, boolean oldIsNull) {
      if (statement == null) {
        return;
      }
      if (statement instanceof ReturnTree ret) {
        expression(ret.getExpression(), oldIsNull);
      } else if (statement instanceof BlockTree block) {
        statements(block.getStatements(), oldIsNull);
      } else if (statement instanceof IfTree ifTree) {
        statement(ifTree.getThenStatement(), oldIsNull || impliesNull(ifTree.getCondition(), true));
        statement(
            ifTree.getElseStatement(), oldIsNull || impliesNull(ifTree.getCondition(), false));
      } else {
        // Loops, try, switch, synchronized: their returns, with nothing more known.
        Sources.forEachReturn(statement, ret -> expression(ret.getExpression(), oldIsNull));
      }
    }

    /** Whether {@code condition} having value {@code outcome} implies the old value is null. */
    private boolean impliesNull(ExpressionTree condition, boolean outcome) {
      if (oldValue == null) {
        return false;
      }
      ExpressionTree tree = Sources.strip(condition);
      if (tree instanceof UnaryTree unary && unary.getKind() == Tree.Kind.LOGICAL_COMPLEMENT) {
        return impliesNull(unary.getExpression(), !outcome);
      }
      if (tree instanceof BinaryTree binary) {
        return switch (binary.getKind()) {
          case EQUAL_TO -> outcome && comparesWithNull(binary);
          case NOT_EQUAL_TO -> !outcome && comparesWithNull(binary);
          case CONDITIONAL_AND ->
              outcome
                  && (impliesNull(binary.getLeftOperand(), true)
                      || impliesNull(binary.getRightOperand(), true));
          case CONDITIONAL_OR ->
              !outcome
                  && (impliesNull(binary.getLeftOperand(), false)
                      || impliesNull(binary.getRightOperand(), false));
          default -> false;
        };
      }
      if (tree instanceof MethodInvocationTree call && call.getArguments().size() == 1) {
        String name = Sources.methodName(call);
        boolean reads = Sources.reads(call.getArguments().get(0), oldValue);
        return reads && ((name.equals("isNull") && outcome) || (name.equals("nonNull") && !outcome));
      }
      return false;
    }

    private boolean comparesWithNull(BinaryTree binary) {
      ExpressionTree left = Sources.strip(binary.getLeftOperand());
      ExpressionTree right = Sources.strip(binary.getRightOperand());
      return (Sources.reads(left, oldValue) && right.getKind() == Tree.Kind.NULL_LITERAL)
          || (Sources.reads(right, oldValue) && left.getKind() == Tree.Kind.NULL_LITERAL);
    }
  }

  private static boolean exits(StatementTree statement) {
    if (statement instanceof BlockTree block) {
      List<? extends StatementTree> statements = block.getStatements();
      return !statements.isEmpty() && exits(statements.get(statements.size() - 1));
    }
    return statement instanceof ReturnTree || statement instanceof ThrowTree;
  }
}
