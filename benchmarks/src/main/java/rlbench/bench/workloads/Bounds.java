package rlbench.bench.workloads;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The values a numeric {@code @Param} field accepts, declared on the field beside its type. The
 * runner checks every value against it before the first fork ({@link Params#declared}), and the
 * benchmark's trial setup checks the same field again ({@link Params#checkBounds}), so a value
 * refused in one place is refused in the other with the same words. Bounds are inclusive; a
 * whole-number field is also bounded by its Java type.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Bounds {

    double min() default Double.NEGATIVE_INFINITY;

    double max() default Double.POSITIVE_INFINITY;

    /** Why the bounds are what they are, said after a refusal, e.g. "2^26 pages, 256 GiB of 4 KiB pages". */
    String why() default "";
}
