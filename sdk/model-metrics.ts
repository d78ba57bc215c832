import type { Str } from './entities.js';

export interface MetricsSourceOptions {
  s3Uri: Str;
  contentType: Str;
  contentDigest?: Str;
}

/** sagemaker.model_metrics.MetricsSource: `{ContentType, S3Uri, ContentDigest?}`. */
export class MetricsSource {
  constructor(readonly opts: MetricsSourceOptions) {}

  toRequest(): Record<string, unknown> {
    const r: Record<string, unknown> = { ContentType: this.opts.contentType, S3Uri: this.opts.s3Uri };
    if (this.opts.contentDigest !== undefined) r.ContentDigest = this.opts.contentDigest;
    return r;
  }
}

export interface ModelMetricsOptions {
  modelStatistics?: MetricsSource;
  modelConstraints?: MetricsSource;
  modelDataStatistics?: MetricsSource;
  modelDataConstraints?: MetricsSource;
  bias?: MetricsSource;
  biasPreTraining?: MetricsSource;
  biasPostTraining?: MetricsSource;
  explainability?: MetricsSource;
}

/**
 * sagemaker.model_metrics.ModelMetrics: the reports registered with a model package (ModelQuality, ModelDataQuality,
 * Bias, Explainability), serialised as the SDK does (Bias and Explainability always present, possibly empty).
 */
export class ModelMetrics {
  constructor(readonly opts: ModelMetricsOptions) {}

  toRequest(): Record<string, unknown> {
    const o = this.opts;
    const pair = (statistics?: MetricsSource, constraints?: MetricsSource): Record<string, unknown> => {
      const r: Record<string, unknown> = {};
      if (statistics !== undefined) r.Statistics = statistics.toRequest();
      if (constraints !== undefined) r.Constraints = constraints.toRequest();
      return r;
    };
    const r: Record<string, unknown> = {};
    const quality = pair(o.modelStatistics, o.modelConstraints);
    if (Object.keys(quality).length > 0) r.ModelQuality = quality;
    const data = pair(o.modelDataStatistics, o.modelDataConstraints);
    if (Object.keys(data).length > 0) r.ModelDataQuality = data;
    const bias: Record<string, unknown> = {};
    if (o.bias !== undefined) bias.Report = o.bias.toRequest();
    if (o.biasPreTraining !== undefined) bias.PreTrainingReport = o.biasPreTraining.toRequest();
    if (o.biasPostTraining !== undefined) bias.PostTrainingReport = o.biasPostTraining.toRequest();
    r.Bias = bias;
    r.Explainability = o.explainability === undefined ? {} : { Report: o.explainability.toRequest() };
    return r;
  }
}
