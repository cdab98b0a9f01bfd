import { describe, expect, it } from 'vitest';
import { compareVersions, driverVerdict } from '../../src/main/core/machine/cuda-drivers';

describe('driver needed for an image’s CUDA release', () => {
  it('compares driver versions numerically', () => {
    expect(compareVersions('535.54.03', '535.104.05')).toBe(-1);
    expect(compareVersions('550.54.15', '550.54.14')).toBe(1);
    expect(compareVersions('570.26', '570.26.0')).toBe(0);
  });

  it('passes, warns (minor-version compatibility) or fails by NVIDIA’s table', () => {
    expect(driverVerdict('12.4', '550.54.15')).toMatchObject({ status: 'pass', needs: '550.54.14' });
    expect(driverVerdict('12.4.1', '535.183.01')).toMatchObject({ status: 'warn', needs: '550.54.14', floor: '525.60.13' });
    expect(driverVerdict('12.4', '470.182.03')).toMatchObject({ status: 'fail' });
    expect(driverVerdict('11.8', '470.182.03')).toMatchObject({ status: 'warn', needs: '520.61.05', floor: '450.80.02' });
    expect(driverVerdict('cuda13.0', '570.124.06')).toMatchObject({ status: 'fail', needs: '580.65.06' });
  });

  it('uses the newest known row of the same major for a release newer than the table, and says unknown otherwise', () => {
    expect(driverVerdict('12.7', '560.35.03')).toMatchObject({ status: 'pass', needs: '560.28.03' });
    expect(driverVerdict('9.0', '384.81')).toEqual({ status: 'unknown', floor: undefined });
    expect(driverVerdict('latest', '550.1')).toEqual({ status: 'unknown' });
  });
});
