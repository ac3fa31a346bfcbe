-- The platform account (basic-auth user) that created an instance: where several platforms share the broker, another
-- platform is answered as for an unknown id. Instances made before have none and stay open to every platform.
ALTER TABLE service_instances ADD COLUMN platform_account varchar(255);
