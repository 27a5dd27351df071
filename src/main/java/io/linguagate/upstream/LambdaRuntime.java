package io.linguagate.upstream;

/**
 * Whether this is the AWS Lambda build ({@code -Plambda}), recognised by Quarkus's Lambda HTTP handler on the class
 * path. There every response leaves as one API Gateway JSON document, and the handler writes a body as text whenever
 * its Content-Type is textual (JSON included), whatever its Content-Encoding: a gzip body relayed from the upstream
 * would reach the client mangled. The gateway therefore asks the upstream for unencoded bodies in that build.
 */
public final class LambdaRuntime {

    private static final boolean PRESENT = present(LambdaRuntime.class.getClassLoader());

    private LambdaRuntime() {
    }

    /** Whether the Lambda HTTP handler is part of this build. */
    public static boolean active() {
        return PRESENT;
    }

    static boolean present(ClassLoader loader) {
        try {
            Class.forName("io.quarkus.amazon.lambda.http.LambdaHttpHandler", false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError notLambda) {
            return false;
        }
    }
}
