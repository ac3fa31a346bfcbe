package io.paasbroker.broker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@EnableScheduling
public class PaasbrokerApplication {

    public static void main(String[] args) {
        SpringApplication.run(PaasbrokerApplication.class, args);
    }
}
