package io.lifecycle.errorprone;

import static com.google.errorprone.BugPattern.SeverityLevel.ERROR;
import static com.google.errorprone.matchers.method.MethodMatchers.instanceMethod;

import com.google.errorprone.BugPattern;
import com.google.errorprone.BugPattern.LinkType;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.fixes.SuggestedFixes;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Source;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.Types;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import org.jspecify.annotations.Nullable;

/**
 * Flags {@code Cleaner.register(obj, action)} whose action keeps {@code obj} strongly reachable,
 * so that it never becomes phantom reachable and the action runs only when the cleaner itself
 * is done (in practice, never before exit).
 *
 * <p>The action captures the object when it is a lambda or anonymous class that reads {@code obj},
 * a bound method reference {@code obj::m}, or the construction of a class whose arguments include
 * {@code obj}. When {@code obj} is {@code this}, or a field of {@code this}, the action also
 * captures it through {@code this}: a lambda or anonymous class that uses instance members, a
 * bound reference {@code this::m}, an argument {@code this}, or an instance of an inner class.
 *
 * <p>Inner and anonymous classes that use no member of the enclosing instance keep no reference to
 * it when compiled for Java 18 or later (javac drops the unused {@code this$0} field unless the
 * class is serializable), so they are reported only for older source levels or serializable
 * classes. For that case, and only when the inner class is a member class that uses nothing of
 * the enclosing instance, the suggested fix makes it {@code static}: the same code, without the
 * hidden reference.
 *
 * <p>The object is also captured through an effectively final local alias ({@code Object o = obj;}
 * then {@code () -> use(o)}), and by an instance of a local class whose body reads the object or
 * an alias ({@code class A implements Runnable { public void run() { use(obj); } }} then {@code
 * new A()} or {@code A::new}): a local class holds every local variable it reads.
 *
 * <p>An action held in a local variable is followed to the variable's initialiser. An action read
 * from a field or returned by a method is not analysed.
 */
@BugPattern(
    summary = "Cleaner action captures the object it cleans, which can then never be cleaned",
    explanation =
        "Cleaner holds the action strongly until it runs, and runs it only once the object is"
            + " phantom reachable. An action that references the object (directly, or through"
            + " this) keeps it reachable, so it is never cleaned. Keep the state to release in a"
            + " static nested class or a lambda in a static method that never references the"
            + " object.",
    severity = ERROR,
    linkType = LinkType.CUSTOM,
    link = Docs.CLEANER_CAPTURES_REFERENT)
public final class CleanerCapturesReferent extends BugChecker
    implements MethodInvocationTreeMatcher {
  private static final long serialVersionUID = 1L;

  private static final Matcher<ExpressionTree> REGISTER =
      instanceMethod().onExactClass("java.lang.ref.Cleaner").named("register");

  private static final Supplier<Type> SERIALIZABLE =
      VisitorState.memoize(state -> state.getTypeFromString("java.io.Serializable"));

  /** Creates the check; Error Prone calls this constructor. */
  public CleanerCapturesReferent() {}

  /**
   * What was registered: {@code this}, a variable, or something the action cannot name; with the
   * effectively final local variables that hold the same object ({@code Object o = obj;}).
   */
  private record Referent(
      boolean isThis, Symbol.@Nullable VarSymbol variable, String text, Set<Symbol> aliases) {
    /** Whether capturing the enclosing instance captures the referent. */
    boolean reachableFromThis() {
      return isThis
          || (variable != null && variable.getKind() == ElementKind.FIELD && !variable.isStatic());
    }

    /** Whether {@code tree} is a read of the referent or of one of its aliases. */
    boolean isReadBy(ExpressionTree tree) {
      Symbol.VarSymbol read = Sources.variable(tree);
      return read != null && aliases.contains(read);
    }

    /** How code that reads {@code read} names the referent, for the message. */
    String name(Symbol read) {
      return read.equals(variable)
          ? text
          : read.getSimpleName() + " (an alias of " + text + ")";
    }
  }

  /** How the action captures the referent, or null when it does not. */
  private record Capture(String how, Optional<SuggestedFix> fix) {
    /** A capture with no suggested fix. */
    Capture(String how) {
      this(how, Optional.empty());
    }
  }

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    if (!REGISTER.matches(tree, state) || tree.getArguments().size() != 2) {
      return Description.NO_MATCH;
    }
    ExpressionTree object = Sources.strip(tree.getArguments().get(0));
    boolean isThis = Sources.isThis(object);
    Symbol.VarSymbol variable = Sources.variable(object);
    if (!isThis && variable == null) {
      return Description.NO_MATCH;
    }
    Referent referent =
        new Referent(
            isThis,
            variable,
            String.valueOf(state.getSourceForNode(object)),
            aliases(isThis, variable, state));
    Capture capture = capture(action(tree.getArguments().get(1), state), referent, state);
    if (capture == null) {
      return Description.NO_MATCH;
    }
    Description.Builder description =
        buildDescription(tree)
            .setMessage(
                "Cleaner action captures its referent: "
                    + capture.how()
                    + ", so the Cleaner keeps "
                    + referent.text()
                    + " strongly reachable and it is never cleaned; move the state to release into"
                    + " a static nested class (or a lambda in a static method) that does not"
                    + " reference it");
    capture.fix().ifPresent(description::addFix);
    return description.build();
  }

  /** The action expression, followed through a local variable to its initialiser. */
  private static ExpressionTree action(ExpressionTree argument, VisitorState state) {
    ExpressionTree action = Sources.strip(argument);
    Symbol.VarSymbol var = Sources.variable(action);
    if (var != null
        && (var.getKind() == ElementKind.LOCAL_VARIABLE
            || var.getKind() == ElementKind.RESOURCE_VARIABLE)) {
      TreePath declaration = Sources.findDeclaration(state, var);
      if (declaration != null
          && declaration.getLeaf() instanceof VariableTree variable
          && variable.getInitializer() != null
          && Sources.assignedValues(Sources.localScope(declaration), var).isEmpty()) {
        return Sources.strip(variable.getInitializer());
      }
    }
    return action;
  }

  private static @Nullable Capture capture(
      ExpressionTree action, Referent referent, VisitorState state) {
    if (referent.isReadBy(action)
        || (referent.reachableFromThis() && Sources.isThis(action))) {
      return new Capture("the object is its own cleaning action");
    }
    if (action instanceof LambdaExpressionTree lambda) {
      Symbol read = readAlias(lambda.getBody(), referent);
      if (read != null) {
        return new Capture("the lambda reads " + referent.name(read));
      }
      if (referent.reachableFromThis() && usesEnclosingInstance(lambda.getBody(), null, state)) {
        return new Capture("the lambda uses this");
      }
      return null;
    }
    if (action instanceof MemberReferenceTree reference) {
      ExpressionTree qualifier = Sources.strip(reference.getQualifierExpression());
      if (referent.isReadBy(qualifier)) {
        return new Capture(
            "the method reference is bound to " + referent.name(Sources.variable(qualifier)));
      }
      if (referent.reachableFromThis()
          && (Sources.isThis(qualifier) || ASTHelpers.isSuper(qualifier))) {
        return new Capture("the method reference is bound to this");
      }
      if (reference.getMode() == MemberReferenceTree.ReferenceMode.NEW
          && ASTHelpers.getSymbol(qualifier) instanceof Symbol.ClassSymbol local) {
        Symbol read = localClassRead(local, referent, state);
        if (read != null) {
          return new Capture(
              "the constructor reference makes a local class "
                  + local.getSimpleName()
                  + " that reads "
                  + referent.name(read));
        }
      }
      if (referent.reachableFromThis()
          && reference.getMode() == MemberReferenceTree.ReferenceMode.NEW
          && ASTHelpers.getSymbol(qualifier) instanceof Symbol.ClassSymbol created
          && keepsEnclosingInstance(created, state)) {
        return new Capture(
            "the constructor reference makes an inner class instance that holds this");
      }
      return null;
    }
    if (action instanceof NewClassTree created) {
      for (ExpressionTree argument : created.getArguments()) {
        ExpressionTree stripped = Sources.strip(argument);
        if (referent.isReadBy(stripped)
            || (referent.reachableFromThis() && Sources.isThis(stripped))) {
          return new Capture("the action is constructed with " + state.getSourceForNode(argument));
        }
      }
      if (created.getEnclosingExpression() != null) {
        return referent.reachableFromThis() && Sources.isThis(created.getEnclosingExpression())
            ? new Capture("the action is an inner class instance of this")
            : null;
      }
      ClassTree body = created.getClassBody();
      if (body != null) {
        Symbol read = readAlias(body, referent);
        if (read != null) {
          return new Capture("the anonymous class reads " + referent.name(read));
        }
        Symbol.ClassSymbol anonymous = ASTHelpers.getSymbol(body);
        if (referent.reachableFromThis()
            && hasEnclosingInstance(anonymous)
            && (usesEnclosingInstance(body, anonymous, state) || keepsUnusedOuter(anonymous, state))) {
          return new Capture("the anonymous class holds this");
        }
        return null;
      }
      if (ASTHelpers.getSymbol(created).owner instanceof Symbol.ClassSymbol local) {
        Symbol read = localClassRead(local, referent, state);
        if (read != null) {
          return new Capture(
              "the action is an instance of the local class "
                  + local.getSimpleName()
                  + ", which reads "
                  + referent.name(read));
        }
      }
      if (referent.reachableFromThis()
          && ASTHelpers.getSymbol(created).owner instanceof Symbol.ClassSymbol type
          && keepsEnclosingInstance(type, state)) {
        return new Capture(
            "the action is an instance of the inner class "
                + type.getSimpleName()
                + ", which holds this",
            makeStatic(type, state));
      }
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // Enclosing instances
  // ---------------------------------------------------------------------------------------------

  private static boolean hasEnclosingInstance(Symbol.ClassSymbol type) {
    return type.hasOuterInstance();
  }

  /** Whether an instance of {@code type}, made from an instance context, references that instance. */
  private static boolean keepsEnclosingInstance(Symbol.ClassSymbol type, VisitorState state) {
    if (!hasEnclosingInstance(type)) {
      return false;
    }
    ClassTree declaration = declaration(type, state);
    if (declaration == null) {
      return true; // cannot see it: it may use the enclosing instance
    }
    return usesEnclosingInstance(declaration, type, state) || keepsUnusedOuter(type, state);
  }

  /**
   * Whether javac keeps the enclosing-instance field of {@code type} even though the class does
   * not use it: below source 18, or for a serializable class.
   */
  private static boolean keepsUnusedOuter(Symbol.ClassSymbol type, VisitorState state) {
    if (Source.instance(state.context).compareTo(Source.JDK18) < 0) {
      return true;
    }
    Type serializable = SERIALIZABLE.get(state);
    return serializable != null && ASTHelpers.isSubtype(type.type, serializable, state);
  }

  private static @Nullable ClassTree declaration(Symbol.ClassSymbol type, VisitorState state) {
    TreePath path = Sources.findDeclaration(state, type);
    return path == null ? null : (ClassTree) path.getLeaf();
  }

  /** Makes an inner member class static, when it uses nothing of its enclosing instance. */
  private static Optional<SuggestedFix> makeStatic(Symbol.ClassSymbol type, VisitorState state) {
    ClassTree declaration = declaration(type, state);
    if (declaration == null
        || type.getNestingKind() != NestingKind.MEMBER
        || usesEnclosingInstance(declaration, type, state)) {
      return Optional.empty();
    }
    return SuggestedFixes.addModifiers(declaration, state, Modifier.STATIC);
  }

  /**
   * Whether code in {@code tree} uses an instance of a class enclosing it: {@code this} or {@code
   * Outer.this} (outside {@code local}, the class being examined, when given), {@code super}, an
   * instance member named without a qualifier, or the creation of an inner class that needs one.
   */
  private static boolean usesEnclosingInstance(
      Tree tree, Symbol.@Nullable ClassSymbol local, VisitorState state) {
    return new Sources.Finder() {
      @Override
      public Boolean visitIdentifier(IdentifierTree identifier, Void unused) {
        Symbol symbol = ASTHelpers.getSymbol(identifier);
        if (symbol == null) {
          return false;
        }
        String name = identifier.getName().toString();
        if (name.equals("this") || name.equals("super")) {
          return local == null;
        }
        return isOuterInstanceMember(symbol, local, state.getTypes());
      }

      @Override
      public Boolean visitMemberSelect(MemberSelectTree select, Void unused) {
        if (select.getIdentifier().contentEquals("this")
            || select.getIdentifier().contentEquals("super")) {
          Symbol qualifier = ASTHelpers.getSymbol(select.getExpression());
          return local == null || !local.equals(qualifier);
        }
        return super.visitMemberSelect(select, null);
      }

      @Override
      public Boolean visitNewClass(NewClassTree created, Void unused) {
        if (created.getClassBody() != null) {
          // Inside a nested anonymous class, its own members and this are not ours.
          boolean arguments =
              created.getArguments().stream()
                  .anyMatch(argument -> usesEnclosingInstance(argument, local, state));
          return arguments
              || usesEnclosingInstance(
                  created.getClassBody(),
                  ASTHelpers.getSymbol(created.getClassBody()),
                  state);
        }
        Symbol constructor = ASTHelpers.getSymbol(created);
        if (created.getEnclosingExpression() == null
            && created.getClassBody() == null
            && constructor != null
            && constructor.owner instanceof Symbol.ClassSymbol type
            && type.hasOuterInstance()
            && !isNestedIn(type, local)) {
          return true;
        }
        return super.visitNewClass(created, null);
      }
    }.foundIn(tree);
  }

  /** The referent or alias that code in {@code tree} reads first, or null if it reads none. */
  private static @Nullable Symbol readAlias(Tree tree, Referent referent) {
    Symbol[] found = {null};
    tree.accept(
        new TreeScanner<Void, Void>() {
          @Override
          public Void visitIdentifier(IdentifierTree identifier, Void unused) {
            Symbol symbol = ASTHelpers.getSymbol(identifier);
            if (found[0] == null && symbol != null && referent.aliases().contains(symbol)) {
              found[0] = symbol;
            }
            return null;
          }

          @Override
          public Void visitMemberSelect(MemberSelectTree select, Void unused) {
            Symbol symbol = ASTHelpers.getSymbol(select);
            if (found[0] == null && symbol != null && referent.aliases().contains(symbol)) {
              found[0] = symbol;
              return null;
            }
            return super.visitMemberSelect(select, null);
          }
        },
        null);
    return found[0];
  }

  /**
   * The referent or alias that a local class reads (a captured local variable), or null: its
   * instances hold every local they capture.
   */
  private static @Nullable Symbol localClassRead(
      Symbol.ClassSymbol type, Referent referent, VisitorState state) {
    if (type.getNestingKind() != NestingKind.LOCAL) {
      return null;
    }
    ClassTree declaration = declaration(type, state);
    return declaration == null ? null : readAlias(declaration, referent);
  }

  /**
   * The registered variable and the effectively final local variables initialised from it (or
   * from {@code this}, when {@code this} is registered), transitively: {@code Object o = obj;}
   * holds the same object, and an action that reads {@code o} keeps {@code obj} reachable.
   */
  private static Set<Symbol> aliases(
      boolean isThis, Symbol.@Nullable VarSymbol variable, VisitorState state) {
    Set<Symbol> aliases = new HashSet<>();
    if (variable != null) {
      aliases.add(variable);
    }
    TreePath unit = new TreePath(state.getPath().getCompilationUnit());
    boolean grew = true;
    while (grew) {
      List<Symbol.VarSymbol> found = new ArrayList<>();
      new TreePathScanner<Void, Void>() {
        @Override
        public Void visitVariable(VariableTree tree, Void unused) {
          Symbol.VarSymbol local = ASTHelpers.getSymbol(tree);
          ExpressionTree initializer = tree.getInitializer();
          if (initializer != null
              && local.getKind() == ElementKind.LOCAL_VARIABLE
              && !aliases.contains(local)
              && ((isThis && Sources.isThis(initializer)) || aliasRead(initializer, aliases))
              && Sources.assignedValues(Sources.localScope(getCurrentPath()), local).isEmpty()) {
            found.add(local);
          }
          return super.visitVariable(tree, null);
        }
      }.scan(unit, null);
      grew = aliases.addAll(found);
    }
    return aliases;
  }

  private static boolean aliasRead(ExpressionTree tree, Set<Symbol> aliases) {
    Symbol.VarSymbol read = Sources.variable(tree);
    return read != null && aliases.contains(read);
  }

  /** Whether an unqualified reference to {@code symbol} reads an enclosing instance. */
  private static boolean isOuterInstanceMember(
      Symbol symbol, Symbol.@Nullable ClassSymbol local, Types types) {
    if (ASTHelpers.isStatic(symbol)
        || !(symbol.getKind() == ElementKind.FIELD || symbol.getKind() == ElementKind.METHOD)
        || !(symbol.owner instanceof Symbol.ClassSymbol owner)
        || (symbol.flags() & Flags.SYNTHETIC) != 0) {
      return false;
    }
    // Members of the examined class itself (or inherited by it) are its own, not the outer one's.
    return local == null || !local.isSubClass(owner, types);
  }

  private static boolean isNestedIn(Symbol.ClassSymbol type, Symbol.@Nullable ClassSymbol local) {
    if (local == null) {
      return false;
    }
    for (Symbol owner = type.owner; owner != null; owner = owner.owner) {
      if (owner.equals(local)) {
        return true;
      }
    }
    return false;
  }
}
