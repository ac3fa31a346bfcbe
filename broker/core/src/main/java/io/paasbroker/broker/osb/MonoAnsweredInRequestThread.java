package io.paasbroker.broker.osb;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.HandlerMethodReturnValueHandlerComposite;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import reactor.core.publisher.Mono;

/**
 * Answers the OSB framework's controllers, which return {@code Mono<ResponseEntity<...>>}, in the request's own
 * thread. Spring MVC would answer a Mono through an asynchronous dispatch: a second pass through every filter, on
 * another container thread, for a result that is already there, since the broker's services do their work when the
 * Mono is subscribed, in the request's thread. Measured against the same broker without it (a synchronous client,
 * Redis cycles, alternating): 0.2–1 ms less of the broker's own time per cycle back to back, about 1 ms less with the
 * machine idle 20 ms before each call, when every hand-over to another thread costs a wake-up.
 */
public final class MonoAnsweredInRequestThread implements HandlerMethodReturnValueHandler {

    private static final String FRAMEWORK_CONTROLLERS = "org.springframework.cloud.servicebroker.controller";

    /** Spring MVC's own handlers, which answer the Mono's value. */
    private final HandlerMethodReturnValueHandler springHandlers;

    private MonoAnsweredInRequestThread(HandlerMethodReturnValueHandler springHandlers) {
        this.springHandlers = springHandlers;
    }

    /** Puts the handler ahead of Spring MVC's own handler of reactive types. */
    public static BeanPostProcessor installer() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof RequestMappingHandlerAdapter adapter) {
                    List<HandlerMethodReturnValueHandler> handlers = new ArrayList<>(adapter.getReturnValueHandlers());
                    handlers.add(
                            0,
                            new MonoAnsweredInRequestThread(new HandlerMethodReturnValueHandlerComposite()
                                    .addHandlers(adapter.getReturnValueHandlers())));
                    adapter.setReturnValueHandlers(handlers);
                }
                return bean;
            }
        };
    }

    @Override
    public boolean supportsReturnType(MethodParameter returnType) {
        return Mono.class.isAssignableFrom(returnType.getParameterType())
                && returnType.getContainingClass().getPackageName().startsWith(FRAMEWORK_CONTROLLERS);
    }

    @Override
    public void handleReturnValue(
            Object returnValue,
            MethodParameter returnType,
            ModelAndViewContainer mavContainer,
            NativeWebRequest webRequest)
            throws Exception {
        // an error the Mono carries is thrown here and reaches the exception handlers as any controller's would
        Object result = returnValue == null ? null : ((Mono<?>) returnValue).block();
        springHandlers.handleReturnValue(result, new MonoValue(returnType), mavContainer, webRequest);
    }

    /** The return type as the Mono's value type, {@code ResponseEntity<...>}, for the message converters. */
    private static final class MonoValue extends MethodParameter {

        private final ResolvableType valueType;

        MonoValue(MethodParameter mono) {
            super(mono);
            this.valueType = ResolvableType.forMethodParameter(mono).getGeneric();
        }

        private MonoValue(MonoValue original) {
            super(original);
            this.valueType = original.valueType;
        }

        @Override
        public Class<?> getParameterType() {
            return valueType.toClass();
        }

        @Override
        public Type getGenericParameterType() {
            return valueType.getType();
        }

        @Override
        public MonoValue clone() {
            return new MonoValue(this);
        }
    }
}
