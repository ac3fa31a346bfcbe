package io.paasbroker.broker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class PaasbrokerApplication {

    public static void main(String[] args) {
        SpringApplication.run(PaasbrokerApplication.class, args);
    }
}
