package io.traceline.platform;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Package-by-feature boundaries (DESIGN.md §2)")
class ArchitectureTest {

  private static final String ROOT = "io.traceline.platform.";
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.traceline");

  @Test
  @DisplayName("no feature reaches into another feature's internal package")
  void internalsStayInternal() {
    noClasses().should(new ArchCondition<JavaClass>("depend on another feature's internal package") {
      @Override
      public void check(JavaClass origin, ConditionEvents events) {
        origin.getDirectDependenciesFromSelf().forEach(dependency -> {
          JavaClass target = dependency.getTargetClass();
          if (target.getPackageName().contains(".internal") && target.getPackageName().startsWith(ROOT)
              && !feature(target).equals(feature(origin))) {
            events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
          }
        });
      }
    }).check(CLASSES);
  }

  @Test
  @DisplayName("the tenants module never depends on the platform (the platform uses it, not the other way round)")
  void tenantsIndependentOfPlatform() {
    noClasses().that().resideInAPackage("io.traceline.tenants..")
        .should().dependOnClassesThat(DescribedPredicate.describe("are in the platform",
            (JavaClass c) -> c.getPackageName().startsWith("io.traceline.platform")))
        .check(CLASSES);
  }

  private static String feature(JavaClass javaClass) {
    String name = javaClass.getPackageName();
    if (!name.startsWith(ROOT)) {
      return name;
    }
    String rest = name.substring(ROOT.length());
    int dot = rest.indexOf('.');
    return dot < 0 ? rest : rest.substring(0, dot);
  }
}
