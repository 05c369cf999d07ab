// @vitest-environment jsdom
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Organization, PreviewReply, WarningTargets } from '../api-types.js';
import { I18nProvider } from '../i18n.js';
import { parseSoftware, targetsFromFields } from '../screens/warning-compose.js';
import { TargetingPreview } from './targeting-preview.js';

afterEach(cleanup);

const org = (id: string, code: string, nameVi: string, nameEn: string): Organization => ({ id, parentId: 'root', code, nameVi, nameEn, kind: 'province', sector: null, region: null });
const orgs = new Map([['o1', org('o1', 'VN-HN', 'Thành phố Hà Nội', 'Ha Noi City')], ['o2', org('o2', 'VN-HP', 'Thành phố Hải Phòng', 'Hai Phong City')]]);

describe('the targeting preview', () => {
  it('asks nothing until a target is chosen', () => {
    const preview = vi.fn<(t: WarningTargets) => Promise<PreviewReply>>();
    render(<I18nProvider initial="en"><TargetingPreview targets={null} preview={preview} orgs={orgs} debounceMs={0} /></I18nProvider>);
    expect(screen.getByText(/Choose at least one organisation/)).toBeTruthy();
    expect(preview).not.toHaveBeenCalled();
  });

  it('shows who will receive it, with the reasons, and follows the targets as they change', async () => {
    const preview = vi.fn(async (targets: WarningTargets): Promise<PreviewReply> => {
      const recipients = targets.regions?.includes('north')
        ? [{ orgId: 'o1', reasons: ['region:north'], systemIds: ['sys_1', 'sys_2'] }, { orgId: 'o2', reasons: ['region:north'], systemIds: [] }]
        : [{ orgId: 'o1', reasons: ['org'], systemIds: [] }];
      return { count: recipients.length, recipients };
    });
    const { rerender, container } = render(
      <I18nProvider initial="vi"><TargetingPreview targets={{ orgs: ['VN-HN'] }} preview={preview} orgs={orgs} debounceMs={0} /></I18nProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('preview-count').textContent).toBe('1 tổ chức sẽ nhận cảnh báo này'));
    expect(screen.getByText('Thành phố Hà Nội')).toBeTruthy();
    rerender(<I18nProvider initial="vi"><TargetingPreview targets={{ regions: ['north'] }} preview={preview} orgs={orgs} debounceMs={0} /></I18nProvider>);
    await waitFor(() => expect(screen.getByTestId('preview-count').textContent).toBe('2 tổ chức sẽ nhận cảnh báo này'));
    expect(container.querySelectorAll('li[data-org]')).toHaveLength(2);
    expect(screen.getAllByText('region:north')).toHaveLength(2);
    expect(screen.getByText(/2 hệ thống/)).toBeTruthy();
    expect(preview).toHaveBeenLastCalledWith({ regions: ['north'] });
  });

  it('says so when the targets reach no one, and shows the API’s refusal', async () => {
    const none = async (): Promise<PreviewReply> => ({ count: 0, recipients: [] });
    const { rerender } = render(<I18nProvider initial="en"><TargetingPreview targets={{ sectors: ['nothing'] }} preview={none} orgs={orgs} debounceMs={0} /></I18nProvider>);
    await waitFor(() => expect(screen.getByTestId('preview-count').textContent).toBe('These targets reach no organisation.'));
    const refused = async (): Promise<PreviewReply> => {
      throw new Error('organisation VN-XX is unknown');
    };
    rerender(<I18nProvider initial="en"><TargetingPreview targets={{ orgs: ['VN-XX'] }} preview={refused} orgs={orgs} debounceMs={0} /></I18nProvider>);
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('VN-XX is unknown'));
  });
});

describe('targets from the compose form', () => {
  it('reads lists, software selectors and kinds, and is null when empty', () => {
    expect(targetsFromFields({ orgs: ' ', sectors: '', regions: '', software: '', kinds: [] })).toBeNull();
    expect(targetsFromFields({ orgs: 'VN-HN, VN-HP', sectors: 'health', regions: '', software: 'apache:struts<=2.5.30, wordpress', kinds: ['province'] })).toEqual({
      orgs: ['VN-HN', 'VN-HP'],
      sectors: ['health'],
      software: [{ vendor: 'apache', product: 'struts', maxVersion: '2.5.30' }, { product: 'wordpress' }],
      kinds: ['province'],
    });
    expect(parseSoftware('microsoft:internet_information_services')).toEqual([{ vendor: 'microsoft', product: 'internet_information_services' }]);
  });
});
