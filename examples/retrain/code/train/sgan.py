"""A small semi-supervised GAN (Salimans et al., 2016) for rare-class detection on tabular telemetry.

The discriminator has one body and two heads sharing its logits: a supervised K-class softmax (the classifier we
keep) and an unsupervised real/fake output D(x) = Z / (Z + 1) with Z = sum(exp(logits)), i.e. sigmoid(logsumexp).
"""
import tensorflow as tf
from tensorflow import keras


def build(num_features, num_classes, latent_dim, seed):
    init = keras.initializers.GlorotUniform(seed=seed)
    body = keras.Sequential([
        keras.Input((num_features,)),
        keras.layers.Dense(64, kernel_initializer=init), keras.layers.LeakyReLU(0.2), keras.layers.Dropout(0.3, seed=seed),
        keras.layers.Dense(32, kernel_initializer=init), keras.layers.LeakyReLU(0.2),
        keras.layers.Dense(num_classes, kernel_initializer=init),
    ], name="discriminator")
    generator = keras.Sequential([
        keras.Input((latent_dim,)),
        keras.layers.Dense(32, kernel_initializer=init), keras.layers.LeakyReLU(0.2),
        keras.layers.Dense(64, kernel_initializer=init), keras.layers.LeakyReLU(0.2),
        keras.layers.Dense(num_features, kernel_initializer=init),
    ], name="generator")
    classifier = keras.Sequential([body, keras.layers.Softmax()], name="classifier")
    return body, generator, classifier


class SGAN:
    def __init__(self, num_features, num_classes, latent_dim=16, learning_rate=2e-3, seed=0):
        self.latent_dim = latent_dim
        self.body, self.generator, self.classifier = build(num_features, num_classes, latent_dim, seed)
        self.d_opt = keras.optimizers.Adam(learning_rate, beta_1=0.5)
        self.g_opt = keras.optimizers.Adam(learning_rate, beta_1=0.5)
        self.noise = tf.random.Generator.from_seed(seed)

    def unsupervised_logit(self, x, training):
        return tf.reduce_logsumexp(self.body(x, training=training), axis=-1)

    @tf.function(reduce_retracing=True)
    def step(self, x_lab, y_lab, x_unl, class_weight):
        """One SGAN iteration: discriminator (supervised + unsupervised) then generator. Returns the four metrics."""
        bce = tf.nn.sigmoid_cross_entropy_with_logits
        z = self.noise.normal((tf.shape(x_unl)[0], self.latent_dim))
        with tf.GradientTape() as tape:
            logits = self.body(x_lab, training=True)
            ce = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y_lab, logits=logits)
            sup = tf.reduce_mean(ce * tf.gather(class_weight, y_lab))
            real = self.unsupervised_logit(x_unl, True)
            fake = self.unsupervised_logit(self.generator(z, training=True), True)
            unsup = tf.reduce_mean(bce(tf.ones_like(real), real)) + tf.reduce_mean(bce(tf.zeros_like(fake), fake))
            loss = sup + unsup
        grads = tape.gradient(loss, self.body.trainable_variables)
        self.d_opt.apply_gradients(zip(grads, self.body.trainable_variables))
        with tf.GradientTape() as tape:
            fake = self.unsupervised_logit(self.generator(z, training=True), False)
            g_loss = tf.reduce_mean(bce(tf.ones_like(fake), fake))
        grads = tape.gradient(g_loss, self.generator.trainable_variables)
        self.g_opt.apply_gradients(zip(grads, self.generator.trainable_variables))
        acc = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, -1), y_lab), tf.float32))
        return sup, unsup, g_loss, acc
